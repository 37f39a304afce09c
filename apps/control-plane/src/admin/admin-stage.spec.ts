import { request } from 'node:http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminStage } from './admin-stage.js';
import { AdminListenError } from './errors.js';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { readiness } from '@ambit/process';
import { adminRoutes, type AdminView } from './routes.js';
import { statusReport } from './status-report.js';

const NO_STATUS = statusReport({ provider: { directory: '/config', mode: 'watch', issues: [], files: [] }, resources: [], resourceStatus: () => undefined, translationFailure: undefined });

const stages: AdminStage[] = [];
afterEach(async () => {
  for (const stage of stages.splice(0)) await stage.close();
});

function view(overrides: Partial<AdminView> = {}): AdminView {
  return {
    readiness: () => readiness([{ name: 'xds', pending: () => 'xDS server not listening' }, { name: 'config', pending: () => undefined }]),
    configDump: () => ({}),
    syncz: () => [],
    status: () => NO_STATUS,
    config: () => ({ trustDomain: 'cluster.local' }),
    metrics: new Registry(),
    ...overrides,
  };
}

async function started(v: AdminView, port = 0): Promise<AdminStage> {
  const stage = new AdminStage({ address: { host: '127.0.0.1', port }, routes: adminRoutes(v), log: SILENT_LOGGER });
  stages.push(stage);
  await stage.start();
  return stage;
}

function call(stage: AdminStage, path: string, method = 'GET'): Promise<{ status: number; body: string; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...stage.address!, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('AdminStage', () => {
  it('answers /ready 503 naming the part that is not ready', async () => {
    const stage = await started(view());
    expect(await call(stage, '/ready')).toMatchObject({ status: 503, body: 'xds: xDS server not listening\nconfig: ready\n' });
  });

  it('serves GET only, on known paths only', async () => {
    const stage = await started(view());
    expect(await call(stage, '/debug/config?pretty')).toMatchObject({ status: 200, body: '{\n  "trustDomain": "cluster.local"\n}\n' });
    expect((await call(stage, '/nope')).status).toBe(404);
    expect(await call(stage, '/ready', 'POST')).toMatchObject({ status: 405, allow: 'GET' });
  });

  it('passes the query to /debug/status, which filters by kind, namespace and name', async () => {
    const resource = (kind: string, namespace: string, name: string) => ({ kind, namespace, name, resource: `${kind} ${namespace}/${name}`, source: 'a.yaml:1:1', appliedTo: [], notes: [] });
    const stage = await started(view({ status: () => ({ ...NO_STATUS, resources: [resource('Pod', 'a', 'x'), resource('Service', 'a', 'x'), resource('Pod', 'b', 'x')] }) }));
    const names = async (query: string): Promise<string[]> => (JSON.parse((await call(stage, `/debug/status${query}`)).body) as { resources: { resource: string }[] }).resources.map((r) => r.resource);
    expect(await names('')).toEqual(['Pod a/x', 'Service a/x', 'Pod b/x']);
    expect(await names('?kind=Pod')).toEqual(['Pod a/x', 'Pod b/x']);
    expect(await names('?kind=Pod&namespace=b&name=x')).toEqual(['Pod b/x']);
  });

  it('answers 500 when an endpoint fails, and keeps serving', async () => {
    const stage = await started(view({ status: () => {
      throw new Error('boom');
    } }));
    expect((await call(stage, '/debug/status')).status).toBe(500);
    expect((await call(stage, '/debug/syncz')).status).toBe(200);
  });

  it('fails to start with the address when the port is taken', async () => {
    const first = await started(view());
    const second = new AdminStage({ address: { host: '127.0.0.1', port: first.address!.port }, routes: adminRoutes(view()), log: SILENT_LOGGER });
    stages.push(second);
    const error = await second.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminListenError);
    expect((error as AdminListenError).address).toBe(`127.0.0.1:${first.address!.port}`);
    expect(second.address).toBeUndefined();
  });
});
