import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import { Front, Upstream } from '../__support__/harness.js';
import { cluster, forwardRoute, routeTable } from '../__support__/resources.js';
import type { AuthorizeRequest, AuthorizeResult } from './types.js';

const FAULT = { delay: null, abort: { error: 'httpStatus' as const, httpStatus: 418, percent: 100 } };

describe('L7Engine authorize hook', () => {
  const closing: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });

  async function setUp(decide: (request: AuthorizeRequest) => AuthorizeResult, fault?: typeof FAULT): Promise<{ front: Front; upstream: Upstream; asked: AuthorizeRequest[] }> {
    const asked: AuthorizeRequest[] = [];
    const upstream = await new Upstream('u').listen('127.0.32.1');
    const front = await new Front({
      authorize: (request) => {
        asked.push(request);
        return decide(request);
      },
    }).listen();
    closing.push(front, upstream);
    const route = forwardRoute('api', { clusters: ['c'] }, fault === undefined ? {} : { fault });
    front.update({ main: routeTable([{ domains: ['*'], routes: [route] }]) }, { c: cluster({ hostname: 'u' }) }, { u: [upstream.endpoint] });
    return { front, upstream, asked };
  }

  it('asks after routing, with the route and the path as the router sees it', async () => {
    const { front, upstream, asked } = await setUp(() => ({ allowed: true }));
    const reply = await front.request('/a/../api/1?x=1', { method: 'PUT', headers: { host: 'Cart.Shop:8080' } });
    expect(reply.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ route: 'api', host: 'Cart.Shop:8080', method: 'PUT', path: '/api/1', context: { routeTable: 'main' } });
    expect(asked[0]!.req.headers.host).toBe('Cart.Shop:8080');
  });

  it('answers a denial 403 "RBAC: access denied" (RBAC) before fault injection and without going upstream', async () => {
    const { front, upstream } = await setUp(() => ({ allowed: false, policy: 'ns/deny-all' }), FAULT);
    const reply = await front.request('/api/1');
    expect(reply).toMatchObject({ status: 403, body: 'RBAC: access denied' });
    expect(reply.headers['content-type']).toBe('text/plain');
    expect(upstream.requests).toHaveLength(0);
    const info = await eventually(() => front.completed[0], 'the report');
    expect(info).toMatchObject({ status: 403, responseFlags: 'RBAC', route: 'api' });
    expect(info.cluster).toBeUndefined();
  });

  it('is not asked when no route matches (404 NR)', async () => {
    const { front, asked } = await setUp(() => ({ allowed: false }));
    expect((await front.request('/', { headers: { 'x-table': 'none' } })).status).toBe(404);
    expect(asked).toHaveLength(0);
  });

  it('answers 500 when the hook throws, and keeps serving', async () => {
    let calls = 0;
    const { front } = await setUp(() => {
      if (calls++ === 0) throw new Error('broken hook');
      return { allowed: true };
    });
    expect((await front.request('/')).status).toBe(500);
    expect((await front.request('/')).status).toBe(200);
  });
});
