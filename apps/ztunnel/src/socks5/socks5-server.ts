import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { Workload } from '../state/index.js';
import { formatTarget, relay, type Connector, type DestinationResolver, type OutboundPlanner } from '../outbound/index.js';
import { Socks5HandshakeError, Socks5ListenError } from './errors.js';
import { endWith, readHandshake } from './handshake.js';
import { canonicalIp } from '../state/index.js';
import { encodeReply, Reply } from './protocol.js';
import { replyFor } from './reply-for.js';

/** How a SOCKS5 connection ended, for metrics. */
export type Socks5Outcome = 'relayed' | 'handshake-failed' | 'connect-failed';

/** What every SOCKS5 listener of a ztunnel shares. */
export interface Socks5Context {
  readonly resolver: DestinationResolver;
  readonly planner: OutboundPlanner;
  readonly connector: Connector;
  readonly log: Logger;
  /** Default 10 s. */
  readonly handshakeTimeoutMs?: number;
  readonly onOutcome?: (outcome: Socks5Outcome) => void;
}

export interface Socks5ServerOptions {
  readonly host: string;
  readonly port: number;
  /** The workload whose traffic this listener carries: read at each connection, so updates apply at once. */
  readonly source: () => Workload | undefined;
}

/**
 * One SOCKS5 entry: RFC 1928 CONNECT without authentication, on one address, for one
 * source workload (local mode: whatever connects to `<podIP>:15080` is that pod). Each
 * connection: handshake → destination (mesh names first) → plan → connector → success
 * reply → relay. Closing stops accepting and lets relayed connections finish until
 * the drain deadline, then cuts them.
 */
export class Socks5Server {
  readonly #options: Socks5ServerOptions;
  readonly #context: Socks5Context;
  readonly #server: Server;
  readonly #abort = new AbortController();
  #address: { host: string; port: number } | undefined;

  constructor(options: Socks5ServerOptions, context: Socks5Context) {
    this.#options = options;
    this.#context = context;
    this.#server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => void this.#serve(socket));
  }

  /** The bound address; undefined until listening. */
  get address(): { readonly host: string; readonly port: number } | undefined {
    return this.#address;
  }

  listen(): Promise<void> {
    const { host, port } = this.#options;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(new Socks5ListenError(formatAddress({ host, port }), error));
      this.#server.once('error', onError);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        this.#address = { host, port: (this.#server.address() as AddressInfo).port };
        resolve();
      });
    });
  }

  /** Stops accepting; resolves once every connection has ended, cutting those still open at `deadline` (ms since epoch). */
  async close(deadline: number): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.#server.listening ? this.#server.close(() => resolve()) : resolve()));
    const timer = setTimeout(() => this.#abort.abort(new Error('drain deadline reached')), Math.max(0, deadline - Date.now()));
    await closed;
    clearTimeout(timer);
  }

  async #serve(socket: Socket): Promise<void> {
    if (this.#abort.signal.aborted) return void socket.destroy();
    // Until it closes, the drain deadline reaches the connection, whatever stage it is in.
    const cut = (): void => void socket.destroy();
    this.#abort.signal.addEventListener('abort', cut, { once: true });
    socket.once('close', () => this.#abort.signal.removeEventListener('abort', cut));
    socket.on('error', () => undefined);
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    const log = this.#context.log;
    {
      let handshake;
      try {
        handshake = await readHandshake(socket, this.#context.handshakeTimeoutMs ?? 10_000);
      } catch (error) {
        if (!(error instanceof Socks5HandshakeError)) throw error;
        log.debug('socks5 handshake refused', { client, error: error.message });
        this.#context.onOutcome?.('handshake-failed');
        return;
      }
      const { request, early } = handshake;
      const source = this.#options.source();
      let upstream;
      let plan;
      try {
        if (source === undefined) throw new Error('the workload of this listener is gone');
        const target = await this.#context.resolver.resolve(source, request.host, request.port);
        plan = this.#context.planner.plan(source, target);
        upstream = await this.#context.connector.connect(plan, this.#abort.signal);
      } catch (error) {
        log.info('socks5 connect failed', { client, destination: `${request.host}:${request.port}`, error: errorText(error) });
        endWith(socket, encodeReply(replyFor(error)));
        this.#context.onOutcome?.('connect-failed');
        return;
      }
      const local = upstream as Partial<Socket>;
      const bound = local.localAddress === undefined ? undefined : canonicalIp(local.localAddress);
      socket.write(encodeReply(Reply.succeeded, bound === undefined ? undefined : { ip: bound, port: local.localPort ?? 0 }));
      if (early.length > 0) upstream.write(early);
      log.debug('socks5 relaying', { client, source: source!.uid, destination: `${request.host}:${request.port}`, route: plan.route, next_hop: formatTarget({ kind: 'address', ...plan.nextHop }) });
      const result = await relay(socket, upstream, this.#abort.signal);
      this.#context.onOutcome?.('relayed');
      log.debug('socks5 closed', { client, sent: result.sent, received: result.received });
    }
  }
}
