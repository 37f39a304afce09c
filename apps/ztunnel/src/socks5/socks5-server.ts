import type { Socket } from 'node:net';
import { errorText, type Logger } from '@ambit/telemetry';
import { TcpListener, type LocalListener } from '../local-listeners/index.js';
import type { Workload } from '../state/index.js';
import { formatTarget, outboundPeers, relay, type Connector, type DestinationResolver, type OutboundPlanner } from '../outbound/index.js';
import { countBytes, type TcpConnectionMetrics, type TcpMetrics } from '../telemetry/index.js';
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
  /** Istio's TCP metrics, reporter `source`; none are counted without it. */
  readonly tcpMetrics?: TcpMetrics;
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
export class Socks5Server implements LocalListener {
  readonly #options: Socks5ServerOptions;
  readonly #context: Socks5Context;
  readonly #listener: TcpListener;

  constructor(options: Socks5ServerOptions, context: Socks5Context) {
    this.#options = options;
    this.#context = context;
    this.#listener = new TcpListener({
      host: options.host,
      port: options.port,
      serve: (socket, drain) => this.#serve(socket, drain),
      listenError: (address, cause) => new Socks5ListenError(address, cause),
    });
  }

  /** The bound address; undefined until listening. */
  get address(): { readonly host: string; readonly port: number } | undefined {
    return this.#listener.address;
  }

  listen(): Promise<void> {
    return this.#listener.listen();
  }

  /** Stops accepting; resolves once every connection has ended, cutting those still open at `deadline` (ms since epoch). */
  close(deadline: number): Promise<void> {
    return this.#listener.close(deadline);
  }

  async #serve(socket: Socket, drain: AbortSignal): Promise<void> {
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
      let metrics: TcpConnectionMetrics | undefined;
      try {
        if (source === undefined) throw new Error('the workload of this listener is gone');
        const target = await this.#context.resolver.resolve(source, request.host, request.port);
        plan = this.#context.planner.plan(source, target);
        // Counted once the destination is known, as ztunnel does; a failed connect closes it with flag CONNECT.
        metrics = this.#context.tcpMetrics?.open(outboundPeers(plan));
        upstream = await this.#context.connector.connect(plan, drain);
      } catch (error) {
        metrics?.closed('CONNECT');
        log.info('socks5 connect failed', { client, destination: `${request.host}:${request.port}`, error: errorText(error) });
        endWith(socket, encodeReply(replyFor(error)));
        this.#context.onOutcome?.('connect-failed');
        return;
      }
      if (metrics !== undefined) countBytes(metrics, socket, upstream);
      const local = upstream as Partial<Socket>;
      const bound = local.localAddress === undefined ? undefined : canonicalIp(local.localAddress);
      socket.write(encodeReply(Reply.succeeded, bound === undefined ? undefined : { ip: bound, port: local.localPort ?? 0 }));
      if (early.length > 0) upstream.write(early);
      log.debug('socks5 relaying', { client, source: source!.uid, destination: `${request.host}:${request.port}`, route: plan.route, next_hop: formatTarget({ kind: 'address', ...plan.nextHop }) });
      const result = await relay(socket, upstream, drain);
      metrics?.closed();
      this.#context.onOutcome?.('relayed');
      log.debug('socks5 closed', { client, sent: result.sent, received: result.received });
    }
  }
}
