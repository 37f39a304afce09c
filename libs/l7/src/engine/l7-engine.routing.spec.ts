import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import {
  cluster,
  directRoute,
  exact,
  forwardRoute,
  headerOps,
  prefix,
  redirectRoute,
  routeMatch,
  routeTable,
  seededRandom,
} from '../__support__/resources.js';
import { Front, Upstream } from '../__support__/harness.js';

// Integration over real sockets: an http.Server in front of the engine, echo upstreams on
// their own 127.0.0.x addresses reached through a plain-TCP UpstreamConnector.
describe('L7Engine routing over real sockets', () => {
  const v1 = new Upstream('v1');
  const v2 = new Upstream('v2');
  const mirror = new Upstream('mirror');
  const front = new Front({ random: seededRandom(2024) });

  beforeAll(async () => {
    await Promise.all([v1.listen('127.0.10.1'), v2.listen('127.0.10.2'), mirror.listen('127.0.10.3'), front.listen()]);
    front.update(
      {
        main: routeTable([
          {
            domains: ['example.com'],
            routes: [
              forwardRoute(
                'api',
                { clusters: ['outbound|80|v1|echo'], rewrite: { uri: '/internal/', uriRegex: null, authority: 'echo.internal' } },
                {
                  matches: [routeMatch({ uri: prefix('/api/') })],
                  requestHeaders: headerOps({ set: [{ name: 'x-route', value: 'api' }], remove: ['x-secret'] }),
                  responseHeaders: headerOps({ add: [{ name: 'x-served-by', value: 'ambit' }], remove: ['x-internal'] }),
                },
              ),
              forwardRoute(
                'canary',
                {
                  clusters: [
                    { cluster: 'outbound|80|v1|echo', weight: 90 },
                    { cluster: 'outbound|80|v2|echo', weight: 10, requestHeaders: headerOps({ set: [{ name: 'x-canary', value: 'yes' }] }) },
                  ],
                },
                { matches: [routeMatch({ uri: prefix('/split') })] },
              ),
              forwardRoute('mirrored', { clusters: ['outbound|80|v1|echo'], mirrors: [{ cluster: 'outbound|80||mirror', percent: 100 }] }, { matches: [routeMatch({ uri: exact('/mirror') })] }),
              forwardRoute('missing', { clusters: [''] }, { matches: [routeMatch({ uri: exact('/nc') })] }),
              redirectRoute('moved', { uri: '/new', scheme: 'https' }, { matches: [routeMatch({ uri: exact('/old') })] }),
              directRoute('teapot', 418, 'short and stout', { matches: [routeMatch({ uri: exact('/tea') })], responseHeaders: headerOps({ set: [{ name: 'x-pot', value: '1' }] }) }),
              forwardRoute(
                'cors',
                { clusters: ['outbound|80|v1|echo'] },
                {
                  matches: [routeMatch({ uri: prefix('/cors') })],
                  cors: { allowOrigins: [exact('https://app.example.com')], allowMethods: ['GET', 'PUT'], allowHeaders: [], exposeHeaders: ['x-trace'], maxAgeS: 60, allowCredentials: false },
                },
              ),
            ],
          },
          { domains: ['*.example.org'], routes: [directRoute('wild', 200, 'wildcard')] },
        ]),
      },
      {
        'outbound|80|v1|echo': cluster({ subset: 'v1' }),
        'outbound|80|v2|echo': cluster({ subset: 'v2' }),
        'outbound|80||mirror': cluster({ hostname: 'mirror' }),
      },
      { v1: [v1.endpoint], v2: [v2.endpoint], mirror: [mirror.endpoint] },
    );
  });

  afterAll(async () => {
    await front.close();
    await Promise.all([v1.close(), v2.close(), mirror.close()]);
  });

  it('routes a prefix match with rewrite and header operations, and propagates x-request-id', async () => {
    const reply = await front.request('/api/users?id=1', { headers: { 'x-secret': 's', 'x-request-id': 'req-1' } });
    expect(reply.status).toBe(200);
    const echoed = reply.json();
    expect(echoed.upstream).toBe('v1');
    expect(echoed.url).toBe('/internal/users?id=1');
    expect(echoed.headers).toMatchObject({ host: 'echo.internal', 'x-route': 'api', 'x-request-id': 'req-1', 'x-forwarded-proto': 'http' });
    expect(echoed.headers['x-secret']).toBeUndefined();
    expect(reply.headers['x-served-by']).toBe('ambit');
    expect(reply.headers['server']).toBe('istio-envoy');
    const info = await eventually(() => front.completed.find((c) => c.route === 'api'), 'the api request report');
    expect(info).toMatchObject({ cluster: 'outbound|80|v1|echo', status: 200, responseFlags: '-', endpoint: v1.endpoint });
    expect(info.responseBytes).toBe(Buffer.byteLength(reply.body));
  });

  it('generates an x-request-id when the client sends none', async () => {
    const echoed = (await front.request('/api/x')).json();
    expect(echoed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('splits 90/10 within tolerance over 1,000 requests', async () => {
    const counts: Record<string, number> = { v1: 0, v2: 0 };
    for (let batch = 0; batch < 20; batch++) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => front.request('/split')));
      for (const reply of replies) counts[reply.json().upstream]! += 1;
    }
    expect(counts.v1! + counts.v2!).toBe(1000);
    expect(counts.v2! / 1000).toBeGreaterThan(0.07);
    expect(counts.v2! / 1000).toBeLessThan(0.13);
    expect(v2.requests.every((r) => r.headers['x-canary'] === 'yes')).toBe(true);
  });

  it('mirrors a copy (host -shadow, same body) and answers with the primary only', async () => {
    const reply = await front.request('/mirror', { method: 'POST', body: 'payload' });
    expect(reply.json().upstream).toBe('v1');
    const copy = await eventually(() => mirror.requests.find((r) => r.url === '/mirror'), 'the mirrored request');
    expect(copy.headers.host).toBe('example.com-shadow');
    expect(copy.body).toBe('payload');
  });

  it('redirects with 301 by default', async () => {
    const reply = await front.request('/old?x=1');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://example.com/new?x=1');
  });

  it('answers a direct response with the route response headers', async () => {
    const reply = await front.request('/tea');
    expect(reply).toMatchObject({ status: 418, body: 'short and stout' });
    expect(reply.headers['x-pot']).toBe('1');
  });

  it('answers 404 NR for no route, no virtual host and an unknown route table', async () => {
    expect((await front.request('/nothing-here')).status).toBe(404);
    expect((await front.request('/', { headers: { host: 'unknown.test' } })).status).toBe(404);
    expect((await front.request('/', { headers: { 'x-table': 'no-such-table' } })).status).toBe(404);
    expect((await front.request('/', { headers: { host: 'www.example.org' } })).body).toBe('wildcard');
    await eventually(() => (front.completed.filter((c) => c.responseFlags === 'NR').length >= 3 ? true : undefined), 'three NR reports');
  });

  it('answers 503 NC for a destination without cluster', async () => {
    expect((await front.request('/nc')).status).toBe(503);
    await eventually(() => front.completed.find((c) => c.responseFlags === 'NC'), 'an NC report');
  });

  it('answers CORS preflights and decorates cross-origin responses', async () => {
    const preflight = await front.request('/cors', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' } });
    expect(preflight.status).toBe(200);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-methods': 'GET,PUT', 'access-control-max-age': '60' });
    const actual = await front.request('/cors', { headers: { origin: 'https://app.example.com' } });
    expect(actual.headers['access-control-expose-headers']).toBe('x-trace');
    const foreign = await front.request('/cors', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('bad input', () => {
    it('answers 431 to oversized headers', async () => {
      const reply = await front.request('/api/x', { headers: { 'x-big': 'a'.repeat(70 * 1024) } }).catch(() => undefined);
      expect(reply?.status).toBe(431);
    });

    it.each([
      ['conflicting Content-Length and Transfer-Encoding', 'POST /api/x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['obs-fold', 'GET /api/x HTTP/1.1\r\nHost: example.com\r\nX-Folded: a\r\n b\r\n\r\n'],
      ['a missing Host', 'GET /api/x HTTP/1.1\r\n\r\n'],
      ['garbage', 'HELLO THERE\r\n\r\n'],
    ])('answers 400 to %s', async (_name, bytes) => {
      expect(await front.raw(bytes)).toMatch(/^HTTP\/1\.1 400 /);
    });
  });
});
