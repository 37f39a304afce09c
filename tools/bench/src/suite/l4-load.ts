import { once } from 'node:events';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BULK, ECHO } from '../bench-protocol.js';
import { announce, roundTrip, upload } from '../l4-client.js';
import { runConstantRate, type ConstantRateResult } from './constant-rate.js';
import { Histogram } from './histogram.js';
import { Http1Connection } from './http1-connection.js';
import { measureCpu } from './proc-stats.js';

/**
 * The L4 measurements, each over any path to the origin: a `dial` that yields a socket
 * whose next bytes reach the server (a TCP connection, or one past a SOCKS5 handshake),
 * and the pids of the path's proxies, whose CPU is read from /proc around each run.
 */
export interface L4Path {
  readonly name: string;
  readonly dial: () => Promise<Socket>;
  /** The proxies on the path (none for direct TCP), in path order. */
  readonly pids: readonly number[];
}

const MESSAGE = Buffer.alloc(100, 1);
const GIB = 1024 ** 3;

export interface BulkFigures {
  readonly mbPerSecond: number;
  /** CPU seconds per GiB carried, per proxy on the path. */
  readonly cpuPerGiB: readonly number[];
}

/** One upload of `bytes` through the path. */
export async function bulk(path: L4Path, bytes: number, chunkBytes = 64 * 1024): Promise<BulkFigures> {
  const { result: seconds, cpuSeconds } = await measureCpu(path.pids, async () => {
    const socket = announce(await path.dial(), BULK);
    try {
      return await upload(socket, bytes, chunkBytes);
    } finally {
      socket.destroy();
    }
  });
  return { mbPerSecond: bytes / 1024 / 1024 / seconds, cpuPerGiB: cpuSeconds.map((cpu) => cpu / (bytes / GIB)) };
}

export interface RateFigures {
  readonly run: ConstantRateResult;
  /** CPU seconds per 1,000 requests, per proxy. */
  readonly cpuPer1000: readonly number[];
  /** CPU seconds per second of the run (vCPU), per proxy. */
  readonly vcpu: readonly number[];
}

export interface RateOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly connections: number;
}

/** 100-byte request/response at a constant rate over `connections` open connections (each warmed by 50 round trips first). */
export async function requestResponse(path: L4Path, options: RateOptions): Promise<RateFigures> {
  const sockets = await Promise.all(Array.from({ length: options.connections }, async () => announce(await path.dial(), ECHO)));
  try {
    for (const socket of sockets) for (let i = 0; i < 50; i++) await roundTrip(socket, MESSAGE);
    return await atRate(path.pids, options, (lane) => roundTrip(sockets[lane]!, MESSAGE));
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** HTTP/1.1 GETs (1 KiB answers) at a constant rate over `connections` keep-alive connections. */
export async function httpRequests(path: L4Path, host: string, options: RateOptions): Promise<RateFigures> {
  const connections = await Promise.all(Array.from({ length: options.connections }, async () => new Http1Connection(await path.dial(), host)));
  try {
    for (const connection of connections) for (let i = 0; i < 20; i++) await connection.get();
    return await atRate(path.pids, options, (lane) => connections[lane]!.get());
  } finally {
    for (const connection of connections) connection.close();
  }
}

/** Runs a constant-rate load with the CPU of `pids` measured around it. */
export async function atRate(pids: readonly number[], options: RateOptions, send: (lane: number) => Promise<void>): Promise<RateFigures> {
  const { result: run, cpuSeconds, wallSeconds } = await measureCpu(pids, () =>
    runConstantRate({ ratePerSecond: options.ratePerSecond, durationMs: options.durationMs, lanes: options.connections, send }),
  );
  return { run, cpuPer1000: cpuSeconds.map((cpu) => (cpu / Math.max(1, run.completed)) * 1000), vcpu: cpuSeconds.map((cpu) => cpu / wallSeconds) };
}

/** `count` times in turn: a new connection through the path, one 100-byte round trip, a clean close. µs each, from before the connect. */
export async function newConnectionLatency(path: L4Path, count: number): Promise<Histogram> {
  const histogram = new Histogram();
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await oneShot(path);
    histogram.record((performance.now() - start) * 1000);
  }
  return histogram;
}

/** New connections per second (each: connect, one round trip, close) with `concurrency` loops for `durationMs`. */
export async function newConnectionRate(path: L4Path, durationMs: number, concurrency: number): Promise<{ perSecond: number; failed: number }> {
  const deadline = performance.now() + durationMs;
  let done = 0;
  let failed = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await oneShot(path);
          done++;
        } catch {
          failed++;
        }
      }
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), failed };
}

async function oneShot(path: L4Path): Promise<void> {
  const socket = announce(await path.dial(), ECHO);
  try {
    await roundTrip(socket, MESSAGE);
    // Ended with FIN, as an application ends a connection (a relay turns it into END_STREAM).
    const closed = once(socket, 'close');
    socket.end();
    await closed;
  } finally {
    socket.destroy();
  }
}

/**
 * Opens `count` connections through the path (`concurrency` at a time, each proven by one
 * round trip), runs `measure` while they are all open, then closes them.
 */
export async function withOpenConnections<T>(path: L4Path, count: number, concurrency: number, measure: () => Promise<T>): Promise<T> {
  const sockets: Socket[] = [];
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) {
          const socket = announce(await path.dial(), ECHO);
          sockets.push(socket);
          await roundTrip(socket, MESSAGE);
        }
      }),
    );
    return await measure();
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}
