import { once } from 'node:events';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { SpiffeId } from '@ambit/crypto';
import type { Http2Tuning, IpPort, WorkloadCertificate } from '@ambit/hbone';
import { serveBenchConnection } from '../bench-protocol.js';

/**
 * One process of the benchmark topology (client → hop → hop → server), started by
 * `topology.ts` with `fork`: it gets a `HopConfig` on the IPC channel, listens on
 * 127.0.0.1 port 0, answers with its port, answers `'cpu'` with its CPU time so far,
 * and exits when the channel closes. Each hop is its own process, as each ztunnel is,
 * so no two stages share an event loop.
 */
export type HopRole =
  /** The destination, serving `../bench-protocol.ts`. */
  | 'server'
  /** Plain TCP relay to `next`. */
  | 'tcp'
  /** TCP in, mutual TLS 1.3 out to `next` (a `tls-in`): TLS without HTTP/2. */
  | 'tls-out'
  /** Mutual TLS 1.3 in, TCP out to `next`. */
  | 'tls-in'
  /** ztunnel's outbound: TCP in, an HBONE tunnel to `next` (a `hbone-in`) for `destination`. */
  | 'hbone-out'
  /** ztunnel's inbound: HBONE in, TCP out to the tunnel's destination. */
  | 'hbone-in';

export interface HopConfig {
  readonly role: HopRole;
  readonly next?: IpPort;
  readonly destination?: IpPort;
  readonly tuning?: Http2Tuning;
  /** Another build of `@ambit/hbone` to load (a path), to compare two versions in one run. */
  readonly hboneModule?: string;
  readonly roots: string;
  readonly clientCertificate: WorkloadCertificate;
  readonly serverCertificate: WorkloadCertificate;
}

export const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/bench/sa/client');
export const SERVER = SpiffeId.parse('spiffe://cluster.local/ns/bench/sa/server');

/** Both directions with backpressure and half-close, as any TCP proxy. */
function pipeBoth(a: Duplex, b: Duplex): void {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

async function listenTcp(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createTcpServer({ allowHalfOpen: true, noDelay: true }, onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function tcpTo(address: IpPort): Socket {
  return connectTcp({ host: address.ip, port: address.port, allowHalfOpen: true, noDelay: true });
}

async function start(config: HopConfig): Promise<number> {
  const next = config.next!;
  const { HbonePool, HboneServer, MeshTrust, relay } = (await import(config.hboneModule ?? '@ambit/hbone')) as typeof import('@ambit/hbone');
  const trust = new MeshTrust(config.roots);
  const tls = (certificate: WorkloadCertificate) => ({ minVersion: 'TLSv1.3' as const, cert: certificate.certChain as string, key: certificate.privateKey, ca: config.roots });
  switch (config.role) {
    case 'server':
      return listenTcp(serveBenchConnection);
    case 'tcp':
      return listenTcp((socket) => pipeBoth(socket, tcpTo(next)));
    case 'tls-out':
      return listenTcp((socket) => {
        const upstream = connectTls({ host: next.ip, port: next.port, ...tls(config.clientCertificate), checkServerIdentity: () => undefined });
        upstream.setNoDelay(true);
        pipeBoth(socket, upstream);
      });
    case 'tls-in': {
      const server = createTlsServer({ ...tls(config.serverCertificate), requestCert: true, rejectUnauthorized: true, allowHalfOpen: true }, (socket) => {
        socket.setNoDelay(true);
        pipeBoth(socket, tcpTo(next));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return (server.address() as AddressInfo).port;
    }
    case 'hbone-out': {
      const pool = new HbonePool({ trust, tuning: config.tuning, clientCertificate: () => config.clientCertificate });
      return listenTcp((socket) => {
        socket.on('error', () => undefined);
        // Nothing is read until the tunnel is open; `relay` resumes the socket.
        socket.pause();
        pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: config.destination!, hboneAddress: next }).then(
          (stream) => void relay(socket, stream),
          (error: unknown) => {
            console.error(error);
            socket.destroy();
          },
        );
      });
    }
    case 'hbone-in': {
      const server = new HboneServer({
        trust,
        tuning: config.tuning,
        certificateFor: () => config.serverCertificate,
        handler: (request) => {
          const upstream = tcpTo(request.destination);
          upstream.once('connect', () => void relay(upstream, request.accept()));
          upstream.once('error', () => request.reject(503));
        },
      });
      return (await server.listen({ host: '127.0.0.1', port: 0 })).port;
    }
  }
}

process.on('message', (message: HopConfig | 'cpu') => {
  if (message === 'cpu') {
    process.send!({ cpu: process.cpuUsage() });
    return;
  }
  start(message).then(
    (port) => process.send!({ port }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// The parent is gone or done: exit (with --cpu-prof the profile is written now).
process.once('disconnect', () => process.exit(0));
