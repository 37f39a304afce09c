import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostPort } from '@ambit/process';
import type { Logger } from '@ambit/telemetry';
import { callerIdentity } from './caller-identity.js';
import { renderReply, TEXT_TYPE, type EchoReply, type SampleIdentity } from './echo-reply.js';

/** What a request may cost the sample. */
export interface EchoLimits {
  /** Largest request body read; a larger one is answered 413 and the connection closed. */
  readonly maxBodyBytes: number;
  /** How long a client may take to send its request headers (Node answers 408 and closes). */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send a whole request. */
  readonly requestTimeoutMs: number;
  /** How often Node checks those two timeouts. */
  readonly timeoutCheckMs: number;
  /** How long open requests may finish after close() before their connections are cut. */
  readonly drainMs: number;
}

export const DEFAULT_LIMITS: EchoLimits = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  timeoutCheckMs: 1000,
  drainMs: 5000,
});

/** Longest request target written to the log. */
const MAX_LOGGED_PATH = 200;

/**
 * The sample echo app: HTTP/1.1 listeners on a pod's addresses answering every request
 * with who the sample is and who called it (EchoReply), and `/healthz` with 200. It
 * never buffers a body: it counts the bytes and drops them.
 */
export class EchoServer {
  readonly #identity: SampleIdentity;
  readonly #limits: EchoLimits;
  readonly #log: Logger;
  readonly #servers: Server[] = [];

  constructor(identity: SampleIdentity, options: { readonly log: Logger; readonly limits?: Partial<EchoLimits> }) {
    this.#identity = Object.freeze({ app: identity.app, version: identity.version, pod: identity.pod, namespace: identity.namespace });
    this.#limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    this.#log = options.log;
  }

  /**
   * Binds every address before any is served, so that a taken one fails start-up
   * whole; on a failure the ones already bound are closed again.
   */
  async listen(addresses: readonly HostPort[]): Promise<void> {
    const limits = this.#limits;
    for (const address of addresses) {
      const server = createServer(
        { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.timeoutCheckMs },
        (req, res) => this.#handle(req, res),
      );
      // A connection's own errors (a reset peer) end that connection, never the sample.
      server.on('clientError', (_error, socket) => socket.destroy());
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        await this.close();
        throw error;
      }
      this.#servers.push(server);
    }
  }

  /** The bound addresses, `ip:port`, in the order given to listen(). */
  get addresses(): readonly string[] {
    return this.#servers.map((server) => {
      const { address, port } = server.address() as AddressInfo;
      return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    });
  }

  /** Stops accepting, lets open requests finish until the drain time, then cuts what is left. */
  async close(): Promise<void> {
    const servers = this.#servers.splice(0);
    const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const server of servers) server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.#limits.drainMs)))]);
    clearTimeout(timer);
    if (!drained) {
      for (const server of servers) server.closeAllConnections();
      await closed;
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.#limits.maxBodyBytes) {
      this.#tooLarge(req, res);
      return;
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > this.#limits.maxBodyBytes && !res.headersSent) this.#tooLarge(req, res);
    });
    req.once('end', () => {
      if (res.headersSent) return;
      if (req.url === '/healthz') this.#answer(req, res, 200, TEXT_TYPE, 'ok\n');
      else {
        const { type, body } = renderReply(this.#reply(req), req.headers.accept);
        this.#answer(req, res, 200, type, body);
      }
    });
  }

  #reply(req: IncomingMessage): EchoReply {
    const { remoteAddress = '', remotePort = 0 } = req.socket;
    const identity = callerIdentity(headerValue(req.headers['x-forwarded-client-cert']));
    return {
      ...this.#identity,
      method: req.method ?? '',
      path: req.url ?? '',
      host: req.headers.host ?? null,
      caller: { address: remoteAddress.includes(':') ? `[${remoteAddress}]:${remotePort}` : `${remoteAddress}:${remotePort}`, identity: identity ?? null },
      headers: req.headers,
    };
  }

  /** 413 and the connection closed: what is left of the body is never read. */
  #tooLarge(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('connection', 'close');
    this.#answer(req, res, 413, TEXT_TYPE, `request body larger than ${this.#limits.maxBodyBytes} bytes\n`);
    res.once('finish', () => req.socket.destroySoon());
  }

  #answer(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
    if (req.url !== '/healthz') {
      const path = req.url ?? '';
      this.#log.info('request', {
        method: req.method,
        path: path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path,
        status,
        caller: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        identity: callerIdentity(headerValue(req.headers['x-forwarded-client-cert'])),
      });
    }
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
