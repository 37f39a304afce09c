/**
 * The applications behind every path of the suite, in a process of their own (forked by
 * `origin.ts`) so that the client's event loop never serves its own requests: the
 * benchmark TCP server (`../bench-protocol.ts`) and an HTTP/1.1 server answering every
 * request with the same 1 KiB body, keep-alive. It listens where the parent says (the
 * server pod's address, for the mesh paths), answers `{ ready: true }`, and exits when
 * the IPC channel closes.
 */
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { serveBenchConnection } from '../bench-protocol.js';

export interface OriginConfig {
  readonly tcp: { readonly ip: string; readonly port: number };
  readonly http: { readonly ip: string; readonly port: number };
}

export const BODY = Buffer.alloc(1024, 'a');

async function start(config: OriginConfig): Promise<void> {
  const tcp = createTcpServer({ allowHalfOpen: true, noDelay: true }, serveBenchConnection);
  tcp.maxConnections = 20_000;
  tcp.listen(config.tcp.port, config.tcp.ip);
  const http = createHttpServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
    response.end(BODY);
  });
  http.listen(config.http.port, config.http.ip);
  await Promise.all([once(tcp, 'listening'), once(http, 'listening')]);
}

process.on('message', (config: OriginConfig) => {
  start(config).then(
    () => process.send!({ ready: true }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.once('disconnect', () => process.exit(0));
