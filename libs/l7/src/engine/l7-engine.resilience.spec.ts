import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import type { l7V1 } from '@ambit/xds';
import { l7V1 as l7 } from '@ambit/xds';
import type { Endpoint } from './types.js';
import { FakeClock } from '../__support__/fake-clock.js';
import { Front, Upstream, type UpstreamHandler } from '../__support__/harness.js';
import { cluster, forwardRoute, outlier, pool, retries, routeTable, seededRandom } from '../__support__/resources.js';

const C = 'outbound|80||echo';
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function upstream(name: string, ip: string, handler?: UpstreamHandler): Promise<Upstream> {
  const u = await new Upstream(name, handler).listen(ip);
  open.push(u);
  return u;
}

async function front(route: Omit<l7V1.Route, 'name'> | l7V1.Route, c: Partial<l7V1.Cluster>, endpoints: Endpoint[], options: ConstructorParameters<typeof Front>[0] = {}): Promise<Front> {
  const f = await new Front({ random: seededRandom(11), ...options }).listen();
  open.push(f);
  f.update({ main: routeTable([{ domains: ['*'], routes: [{ ...route, name: 'r' } as l7V1.Route] }]) }, { [C]: cluster({ hostname: 'echo', ...c }) }, { echo: endpoints });
  return f;
}

const failing =
  (status: number, times: number): UpstreamHandler =>
  (_req, res) => {
    if (times-- > 0) {
      res.writeHead(status);
      res.end('upstream says no');
    } else {
      res.writeHead(200);
      res.end('ok');
    }
  };

/** A port on which nothing listens (bound, then released). */
async function closedPort(ip: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const flagsOf = (f: Front) => eventually(() => f.completed[f.completed.length - 1], 'a request report');

describe('retries', () => {
  it('retries a 503 and succeeds, resending the body', async () => {
    const u = await upstream('flaky', '127.0.20.1', failing(503, 1));
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ attempts: 2, retryOn: ['5xx'] }) }), {}, [u.endpoint]);
    const reply = await f.request('/', { method: 'POST', body: 'hello' });
    expect(reply).toMatchObject({ status: 200, body: 'ok' });
    expect(u.requests.map((r) => r.body)).toEqual(['hello', 'hello']);
    expect((await flagsOf(f)).responseFlags).toBe('-');
  });

  it('passes the last answer on with URX when retries are exhausted', async () => {
    const u = await upstream('down', '127.0.20.2', failing(503, 100));
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ attempts: 2, retryOn: ['gateway-error'] }) }), {}, [u.endpoint]);
    const reply = await f.request('/');
    expect(reply).toMatchObject({ status: 503, body: 'upstream says no' });
    expect(u.requests).toHaveLength(3);
    expect((await flagsOf(f)).responseFlags).toBe('URX');
  });

  it('does not retry what retryOn does not name', async () => {
    const u = await upstream('conflict', '127.0.20.3', failing(409, 1));
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ retryOn: ['5xx'] }) }), {}, [u.endpoint]);
    expect((await f.request('/')).status).toBe(409);
    expect(u.requests).toHaveLength(1);
  });

  it('retries a connect failure on another endpoint (previous hosts)', async () => {
    const good = await upstream('good', '127.0.20.4');
    const dead: Endpoint = { uid: 'dead', ip: '127.0.20.5', port: await closedPort('127.0.20.5'), identity: '', healthy: true };
    const lb = { algorithm: l7.LoadBalancer_Algorithm.ROUND_ROBIN, consistentHash: null };
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ attempts: 1, retryOn: ['connect-failure'] }) }), { loadBalancer: lb }, [dead, good.endpoint]);
    for (let i = 0; i < 4; i++) expect((await f.request('/')).json().upstream).toBe('good');
  });

  it('answers 503 UF when the only endpoint refuses connections', async () => {
    const dead: Endpoint = { uid: 'dead', ip: '127.0.20.6', port: await closedPort('127.0.20.6'), identity: '', healthy: true };
    const f = await front(forwardRoute('r', { clusters: [C] }), {}, [dead]);
    const reply = await f.request('/');
    expect(reply.status).toBe(503);
    expect(reply.body).toContain('connection failure');
    expect((await flagsOf(f)).responseFlags).toBe('UF');
  });

  it('does not retry a body larger than the retry buffer', async () => {
    const u = await upstream('flaky', '127.0.20.7', failing(503, 1));
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ attempts: 2 }) }), {}, [u.endpoint], { retryBufferBytes: 1024 });
    const reply = await f.request('/', { method: 'POST', body: 'x'.repeat(4096) });
    expect(reply.status).toBe(503);
    expect(u.requests).toHaveLength(1);
    expect(u.requests[0]!.body).toHaveLength(4096);
  });
});

describe('timeouts', () => {
  const hang: UpstreamHandler = () => undefined;

  it('answers 504 UT when the route timeout fires', async () => {
    const u = await upstream('slow', '127.0.21.1', hang);
    const f = await front(forwardRoute('r', { clusters: [C], timeoutMs: 50 }), {}, [u.endpoint]);
    const reply = await f.request('/');
    expect(reply).toMatchObject({ status: 504, body: 'upstream request timeout' });
    expect((await flagsOf(f)).responseFlags).toBe('UT');
  });

  it('resets the stream when the route timeout fires mid-response (UT, not DC)', async () => {
    const u = await upstream('stalls', '127.0.21.3', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('part');
    });
    const f = await front(forwardRoute('r', { clusters: [C], timeoutMs: 50 }), {}, [u.endpoint]);
    await expect(f.request('/')).rejects.toThrow();
    expect((await flagsOf(f)).responseFlags).toBe('UT');
  });

  it('retries after a per-try timeout', async () => {
    let calls = 0;
    const u = await upstream('once-slow', '127.0.21.2', (_req, res) => {
      if (calls++ === 0) return;
      res.end('second try');
    });
    const f = await front(forwardRoute('r', { clusters: [C], retries: retries({ attempts: 1, perTryTimeoutMs: 50, retryOn: ['5xx'] }) }), {}, [u.endpoint]);
    expect((await f.request('/')).body).toBe('second try');
  });
});

describe('fault injection', () => {
  it('aborts with the configured status and flag FI', async () => {
    const u = await upstream('never', '127.0.22.1');
    const fault = { delay: null, abort: { error: 'httpStatus' as const, httpStatus: 418, percent: 100 } };
    const f = await front(forwardRoute('r', { clusters: [C] }, { fault }), {}, [u.endpoint]);
    expect(await f.request('/')).toMatchObject({ status: 418, body: 'fault filter abort' });
    expect(u.requests).toHaveLength(0);
    expect((await flagsOf(f)).responseFlags).toBe('FI');
  });

  it('delays and then forwards with flag DI', async () => {
    const u = await upstream('later', '127.0.22.2');
    const fault = { delay: { fixedDelayMs: 20, percent: 100 }, abort: null };
    const f = await front(forwardRoute('r', { clusters: [C] }, { fault }), {}, [u.endpoint]);
    expect((await f.request('/')).status).toBe(200);
    expect((await flagsOf(f)).responseFlags).toBe('DI');
  });
});

describe('connection pool', () => {
  /** An upstream that holds every request until released. */
  function holding(): { handler: UpstreamHandler; release(): void; held: () => number } {
    const waiting: http.ServerResponse[] = [];
    return {
      handler: (_req, res) => void waiting.push(res),
      release: () => waiting.splice(0).forEach((res) => res.end('released')),
      held: () => waiting.length,
    };
  }

  it('answers 503 UO when pending requests overflow http1MaxPendingRequests', async () => {
    const hold = holding();
    const u = await upstream('held', '127.0.23.1', hold.handler);
    const f = await front(forwardRoute('r', { clusters: [C] }), { connectionPool: pool({ maxConnections: 1, http1MaxPendingRequests: 1 }) }, [u.endpoint]);
    const first = f.request('/1');
    await eventually(() => (hold.held() === 1 ? true : undefined), 'the first request upstream');
    // The second waits for the only connection; a third overflows the pending queue.
    const second = f.request('/2');
    await eventually(() => (f.handled === 2 ? true : undefined), 'the second request in the engine');
    const third = await f.request('/3');
    expect(third.status).toBe(503);
    expect(third.body).toContain('overflow');
    hold.release();
    expect((await first).status).toBe(200);
    await eventually(() => (hold.held() === 1 ? true : undefined), 'the second request upstream');
    hold.release();
    expect((await second).status).toBe(200);
    expect(u.connections).toBe(1);
    expect(f.completed.some((c) => c.responseFlags === 'UO')).toBe(true);
  });

  it('answers 503 UO beyond http2MaxRequests active requests', async () => {
    const hold = holding();
    const u = await upstream('held', '127.0.23.2', hold.handler);
    const f = await front(forwardRoute('r', { clusters: [C] }), { connectionPool: pool({ http2MaxRequests: 1 }) }, [u.endpoint]);
    const first = f.request('/1');
    await eventually(() => (hold.held() === 1 ? true : undefined), 'the first request upstream');
    expect((await f.request('/2')).status).toBe(503);
    hold.release();
    expect((await first).status).toBe(200);
  });

  it('reuses keep-alive connections, and opens a new one after maxRequestsPerConnection', async () => {
    const u = await upstream('pooled', '127.0.23.3');
    const f = await front(forwardRoute('r', { clusters: [C] }), {}, [u.endpoint]);
    for (let i = 0; i < 5; i++) await f.request('/');
    expect(u.connections).toBe(1);
    const v = await upstream('one-shot', '127.0.23.4');
    const g = await front(forwardRoute('r', { clusters: [C] }), { connectionPool: pool({ maxRequestsPerConnection: 1 }) }, [v.endpoint]);
    for (let i = 0; i < 3; i++) expect((await g.request('/')).status).toBe(200);
    expect(v.connections).toBe(3);
  });

  it('answers 503 UH when no endpoint is healthy', async () => {
    const u = await upstream('sick', '127.0.23.5');
    const f = await front(forwardRoute('r', { clusters: [C] }), {}, [{ ...u.endpoint, healthy: false }]);
    expect(await f.request('/')).toMatchObject({ status: 503, body: 'no healthy upstream' });
    expect((await flagsOf(f)).responseFlags).toBe('UH');
  });
});

describe('outlier detection', () => {
  it('ejects an endpoint after consecutive 5xx and brings it back after the ejection time', async () => {
    const clock = new FakeClock();
    const bad = await upstream('bad', '127.0.24.1', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const good = await upstream('good', '127.0.24.2');
    const f = await front(
      forwardRoute('r', { clusters: [C] }),
      {
        loadBalancer: { algorithm: l7.LoadBalancer_Algorithm.ROUND_ROBIN, consistentHash: null },
        outlierDetection: outlier({ consecutiveServerErrors: 2, intervalMs: 1000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 }),
      },
      [bad.endpoint, good.endpoint],
      { clock },
    );
    for (let i = 0; i < 4; i++) await f.request('/');
    expect(bad.requests).toHaveLength(2);
    // Ejected: everything goes to the good endpoint.
    for (let i = 0; i < 6; i++) expect((await f.request('/')).status).toBe(200);
    expect(bad.requests).toHaveLength(2);
    clock.advance(30_000);
    for (let i = 0; i < 4; i++) await f.request('/');
    expect(bad.requests.length).toBeGreaterThan(2);
  });
});
