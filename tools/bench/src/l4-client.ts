import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BULK, ECHO } from './bench-protocol.js';

/**
 * The client side of `bench-protocol.ts`, shared by the HBONE benchmark and the suite:
 * connections that say what they want, bulk uploads and request/response round trips
 * on any connected socket (direct, through a relay, or after a SOCKS5 handshake).
 */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** A plain TCP connection to `endpoint`, with Nagle off (round trips must not wait for it). */
export async function connectTo(endpoint: Endpoint): Promise<Socket> {
  const socket = connectTcp({ host: endpoint.ip, port: endpoint.port, allowHalfOpen: true, noDelay: true });
  await once(socket, 'connect');
  return socket;
}

/** Tells the server what this connection is for: its first byte. */
export function announce(socket: Socket, mode: typeof BULK | typeof ECHO): Socket {
  socket.write(Buffer.of(mode));
  return socket;
}

/** Sends `bytes` in `chunkBytes` writes on a `BULK` connection, ends it and waits for the server's one-byte answer: seconds taken. */
export async function upload(socket: Socket, bytes: number, chunkBytes: number): Promise<number> {
  const chunk = Buffer.alloc(chunkBytes, 7);
  const start = performance.now();
  const acknowledged = once(socket, 'data');
  socket.resume();
  for (let sent = 0; sent < bytes; sent += chunk.length) if (!socket.write(chunk)) await once(socket, 'drain');
  socket.end();
  await acknowledged;
  return (performance.now() - start) / 1000;
}

/** Writes `message` on an `ECHO` connection and resolves once as many bytes came back. */
export function roundTrip(socket: Socket, message: Buffer): Promise<void> {
  let received = 0;
  const reply = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received < message.length) return;
      done();
      resolve();
    };
    const onClose = (): void => {
      done();
      reject(new Error(`the connection closed after ${received} of ${message.length} echoed bytes`));
    };
    const done = (): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
  // A socket handed over paused (after a SOCKS5 handshake) starts flowing with its first reader.
  socket.resume();
  socket.write(message);
  return reply;
}

/** `count` sequential round trips of `message`: µs each. */
export async function pingPong(socket: Socket, count: number, message: Buffer): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await roundTrip(socket, message);
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}
