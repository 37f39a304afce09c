import type { RequestSource } from '../engine/types.js';
import { DownstreamView, type DownstreamRequest } from '../http/downstream-request.js';

export interface FakeRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly scheme?: 'http' | 'https';
  readonly source?: RequestSource;
}

/** The RequestView of a request that never touched a socket. */
export function viewOf(request: FakeRequest): DownstreamView {
  const headers = { host: request.host ?? 'example.com', ...request.headers };
  const req = { method: request.method ?? 'GET', url: request.url ?? '/', headers, httpVersion: '1.1' } as unknown as DownstreamRequest;
  return new DownstreamView(req, { routeTable: 't', source: request.source ?? {}, scheme: request.scheme ?? 'http' });
}
