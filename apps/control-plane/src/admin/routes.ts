import { JSON_TYPE, TEXT_TYPE as TEXT, type HttpAnswer, type HttpHandler, type Readiness } from '@ambit/process';
import type { Registry } from 'prom-client';
import { debugJson } from './debug-json.js';
import { filterStatus, statusFilter, type StatusReport } from './status-report.js';

/** What one admin endpoint answers. */
export type AdminResponse = HttpAnswer;

/** Answers one endpoint; `query` is the request's query string (only /debug/status reads it). */
export type AdminHandler = HttpHandler;

/** What the admin endpoints show, each read when asked. */
export interface AdminView {
  readiness(): Readiness;
  /** Served xDS resources by type URL. */
  configDump(): unknown;
  syncz(): unknown;
  status(): StatusReport;
  /** The control plane's own configuration. */
  config(): unknown;
  readonly metrics: Registry;
}

/** The admin endpoints, by path (port 15014: Istio's monitoring port). */
export function adminRoutes(view: AdminView): ReadonlyMap<string, AdminHandler> {
  const json = (read: (query: URLSearchParams) => unknown): AdminHandler => (query) => ({ status: 200, contentType: JSON_TYPE, body: debugJson(read(query)) });
  return new Map<string, AdminHandler>([
    [
      '/ready',
      () => {
        const { ready, lines } = view.readiness();
        return { status: ready ? 200 : 503, contentType: TEXT, body: `${lines.join('\n')}\n` };
      },
    ],
    ['/debug/config_dump', json(() => view.configDump())],
    ['/debug/syncz', json(() => view.syncz())],
    ['/debug/status', json((query) => filterStatus(view.status(), statusFilter(query)))],
    ['/debug/config', json(() => view.config())],
    ['/metrics', async () => ({ status: 200, contentType: view.metrics.contentType, body: await view.metrics.metrics() })],
  ]);
}
