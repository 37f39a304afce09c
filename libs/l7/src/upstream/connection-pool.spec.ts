import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint, UpstreamConnector } from '../engine/types.js';
import { FakeClock } from '../__support__/fake-clock.js';
import { TCP_CONNECTOR, Upstream } from '../__support__/harness.js';
import { ConnectionPool, type PoolLimits } from './connection-pool.js';
import { UpstreamConnectError } from './upstream-errors.js';

const LIMITS: PoolLimits = { maxConnections: Infinity, connectTimeoutMs: 1000, maxPendingRequests: Infinity, maxRequestsPerConnection: 0, idleTimeoutMs: 60_000, maxHeaderSize: 16384 };

/** Wraps the TCP socket in a plain Duplex, as an HBONE tunnel stream is: no ref/unref/setKeepAlive. */
const PLAIN_DUPLEX_CONNECTOR: UpstreamConnector = {
  async connect(endpoint, signal) {
    const socket = await TCP_CONNECTOR.connect(endpoint, signal);
    return Duplex.from({ readable: socket, writable: socket });
  },
};

function get(pool: ConnectionPool, endpoint: Endpoint): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = pool.request(endpoint, { method: 'GET', path: '/', headers: { host: 'x' } });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
    });
    req.end();
  });
}

describe('ConnectionPool', () => {
  const closing: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
  });

  it('keeps connections alive over a plain Duplex and closes them when idle', async () => {
    const u = await new Upstream('u').listen('127.0.30.1');
    closing.push(u);
    const clock = new FakeClock();
    const pool = new ConnectionPool(PLAIN_DUPLEX_CONNECTOR, LIMITS, clock);
    closing.push(pool);
    expect(await get(pool, u.endpoint)).toEqual({ status: 200, reused: false });
    expect(await get(pool, u.endpoint)).toEqual({ status: 200, reused: true });
    expect(u.connections).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(60_000);
    expect(await get(pool, u.endpoint)).toEqual({ status: 200, reused: false });
    expect(u.connections).toBe(2);
  });

  it('fails with UpstreamConnectError when the connect timeout fires', async () => {
    const clock = new FakeClock();
    const never: UpstreamConnector = { connect: (_e, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
    const pool = new ConnectionPool(never, LIMITS, clock);
    closing.push(pool);
    const endpoint: Endpoint = { uid: 'e', ip: '127.0.30.2', port: 1, identity: '', healthy: true };
    const result = get(pool, endpoint).catch((e: unknown) => e);
    expect(pool.pending).toBe(1);
    expect(pool.wouldOverflow(endpoint)).toBe(false);
    clock.advance(1000);
    const error = await result;
    expect(error).toBeInstanceOf(UpstreamConnectError);
    expect((error as UpstreamConnectError).timedOut).toBe(true);
    expect((error as UpstreamConnectError).code).toBe('AMBIT_ERR_L7_UPSTREAM_CONNECT');
    expect(pool.pending).toBe(0);
  });
});
