import { once } from 'node:events';
import { connect as connectHttp2, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import { SpiffeId } from '@ambit/crypto';
import type { AmbitError } from '@ambit/errors';
import { onTestFinished } from 'vitest';
import { HbonePool, type HbonePoolOptions } from '../client/hbone-pool.js';
import { relay } from '../relay.js';
import { HboneServer, type HboneHandler, type HboneServerOptions } from '../server/hbone-server.js';
import { tlsOptions } from '../tls/credentials.js';
import type { Pki } from '../testing/index.js';
import { formatAuthority, type IpPort } from '../wire/authority.js';

export const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/productpage');
export const SERVER = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/reviews');

export { testPki, type Pki } from '../testing/index.js';

export interface RunningServer {
  readonly server: HboneServer;
  readonly address: IpPort;
  readonly errors: AmbitError[];
}

/** An HBONE server on 127.0.0.1, port 0, closed when the test finishes. */
export async function startServer(pki: Pki, options: Partial<HboneServerOptions> = {}): Promise<RunningServer> {
  const errors: AmbitError[] = [];
  const certificate = pki.issue(SERVER);
  const server = new HboneServer({
    trust: pki.trust,
    certificateFor: () => certificate,
    handler: forwardingHandler,
    onError: (error) => errors.push(error),
    ...options,
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  onTestFinished(() => server.close(100));
  return { server, address, errors };
}

/** A pool presenting CLIENT's certificate (or what `options` says), closed when the test finishes. */
export function startPool(pki: Pki, options: Partial<HbonePoolOptions> = {}): HbonePool {
  const certificate = pki.issue(CLIENT);
  const pool = new HbonePool({ trust: pki.trust, clientCertificate: () => certificate, ...options });
  onTestFinished(() => pool.close(100));
  return pool;
}

/** What ztunnel's inbound does: connect to the destination, then answer 200 and relay (503 if unreachable). */
export const forwardingHandler: HboneHandler = (request) => {
  const upstream = connectTcp({ host: request.destination.ip, port: request.destination.port, allowHalfOpen: true });
  upstream.once('connect', () => void relay(upstream, request.accept()));
  upstream.once('error', () => {
    if (!request.decided) request.reject(503);
  });
};

/** A TCP echo server (half-close aware: it ends after the client ends), closed when the test finishes. */
export async function tcpEcho(): Promise<IpPort> {
  const sockets = new Set<Socket>();
  const server = createTcpServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { ip: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Waits until `condition` holds, polling; fails after `timeoutMs` (a bound on waiting, not a timing assertion). */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A bare HTTP/2 session over mutual TLS, to send what the pool never would. */
export async function rawSession(pki: Pki, address: IpPort, certificate = pki.issue(CLIENT)): Promise<ClientHttp2Session> {
  const socket = connectTls({
    host: address.ip,
    port: address.port,
    ...tlsOptions(certificate, pki.trust),
    ALPNProtocols: ['h2'],
    checkServerIdentity: () => undefined,
  });
  await once(socket, 'secureConnect');
  const session = connectHttp2(`https://${formatAuthority(address)}`, { createConnection: () => socket });
  session.on('error', () => undefined);
  onTestFinished(() => void session.destroy());
  return session;
}

/** Sends a request on `session` and resolves with the response status, or the reset code if there is none. */
export async function statusOf(session: ClientHttp2Session, headers: OutgoingHttpHeaders): Promise<{ status?: number; rstCode?: number }> {
  const stream = session.request(headers, { endStream: false });
  stream.on('error', () => undefined);
  return new Promise((resolve) => {
    stream.once('response', (response) => {
      resolve({ status: Number(response[':status']) });
      stream.close();
    });
    stream.once('close', () => resolve({ rstCode: stream.rstCode }));
  });
}
