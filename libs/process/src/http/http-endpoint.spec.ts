import { request } from 'node:http';
import { createLogger } from '@ambit/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonAnswer, textAnswer, type HttpHandler } from './http-answer.js';
import { HttpEndpoint } from './http-endpoint.js';

class ListenError extends Error {
  constructor(
    readonly address: string,
    override readonly cause: unknown,
  ) {
    super(`cannot serve on ${address}`);
  }
}

const endpoints: HttpEndpoint[] = [];
afterEach(async () => {
  for (const endpoint of endpoints.splice(0)) await endpoint.close();
});

async function started(routes: [string, HttpHandler][], port = 0, lines: string[] = []): Promise<HttpEndpoint> {
  const log = createLogger({ level: 'info', component: 'test', write: (line) => lines.push(line) });
  const endpoint = new HttpEndpoint({ name: 'admin', address: { host: '127.0.0.1', port }, routes: new Map(routes), log, program: 'demo', listenError: (address, cause) => new ListenError(address, cause) });
  endpoints.push(endpoint);
  await endpoint.listen();
  return endpoint;
}

function call(endpoint: HttpEndpoint, path: string, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...endpoint.address!, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HttpEndpoint', () => {
  it('answers known paths with what the handler computes, passing the query', async () => {
    const endpoint = await started([
      ['/config', () => jsonAnswer({ a: 1 })],
      ['/echo', (query) => textAnswer(200, `${query.get('x') ?? ''}\n`)],
    ]);
    expect(endpoint.address?.port).toBeGreaterThan(0);
    expect(await call(endpoint, '/config')).toMatchObject({ status: 200, body: '{\n  "a": 1\n}\n', headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
    expect((await call(endpoint, '/echo?x=hi')).body).toBe('hi\n');
  });

  it('serves GET only, on known paths only', async () => {
    const endpoint = await started([['/ready', () => textAnswer(200, 'ok\n')]]);
    expect(await call(endpoint, '/ready', 'POST')).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    expect(await call(endpoint, '/nope')).toMatchObject({ status: 404, body: 'no endpoint /nope; try /ready\n' });
  });

  it('answers 500 and logs the path when a handler fails, and keeps serving', async () => {
    const lines: string[] = [];
    const endpoint = await started(
      [
        ['/boom', () => Promise.reject(new Error('broken view'))],
        ['/ok', () => textAnswer(200, 'ok\n')],
      ],
      0,
      lines,
    );
    expect(await call(endpoint, '/boom')).toMatchObject({ status: 500, body: 'internal error; see the demo log\n' });
    expect(lines.join('')).toMatch(/admin endpoint failed.*path=\/boom.*broken view/);
    expect((await call(endpoint, '/ok')).status).toBe(200);
  });

  it("rejects with the program's error when the address is taken", async () => {
    const first = await started([]);
    const second = new HttpEndpoint({ name: 'admin', address: first.address!, routes: new Map(), log: createLogger({ level: 'silent', component: 'test' }), program: 'demo', listenError: (address, cause) => new ListenError(address, cause) });
    const error = await second.listen().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ address: `127.0.0.1:${first.address!.port}`, cause: { code: 'EADDRINUSE' } });
  });

  it('forgets its address once closed, and closes twice safely', async () => {
    const endpoint = await started([]);
    await endpoint.close();
    expect(endpoint.address).toBeUndefined();
    await endpoint.close();
  });
});
