import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock, Endpoint, TimerHandle, UpstreamConnector } from '../engine/types.js';
import { UpstreamConnectError } from './upstream-errors.js';

/** A cluster's connection-pool settings, Istio's defaults already filled in by the control plane. */
export interface PoolLimits {
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly maxPendingRequests: number;
  /** 0: unlimited. */
  readonly maxRequestsPerConnection: number;
  readonly idleTimeoutMs: number;
  /** Bounds upstream response headers (an overflow is a protocol error, 502 UPE). */
  readonly maxHeaderSize: number;
}

/** Istio writes "unlimited" as 2^32-1; anything of that order is unlimited here. */
export function limit(value: number): number {
  return value <= 0 || value >= 0x7fffffff ? Infinity : value;
}

// The endpoint travels in the request options to getName and createConnection.
interface EndpointOptions extends http.ClientRequestArgs {
  readonly ambitEndpoint: Endpoint;
}

/**
 * HTTP/1.1 keep-alive connections to a cluster's endpoints over the streams the
 * UpstreamConnector opens (HBONE tunnels in the apps), one node http.Agent per cluster:
 * per-endpoint keep-alive pools, maxConnections across the cluster, a connect timeout,
 * an idle timeout, maxRequestsPerConnection, and the http1MaxPendingRequests count that
 * the caller turns into a 503 UO overflow.
 */
export class ConnectionPool {
  readonly #agent: TunnelAgent;
  readonly #limits: PoolLimits;
  readonly #served = new WeakMap<Duplex, number>();
  #pending = 0;

  constructor(connector: UpstreamConnector, limits: PoolLimits, clock: Clock) {
    this.#limits = limits;
    this.#agent = new TunnelAgent(connector, limits, clock);
  }

  /** Requests waiting for a connection (connecting, or queued behind maxConnections). */
  get pending(): number {
    return this.#pending;
  }

  /** Whether a request to `endpoint` would have to wait, with the pending queue already full (Envoy's pending overflow). */
  wouldOverflow(endpoint: Endpoint): boolean {
    const free = this.#agent.freeSockets[endpoint.uid]?.length ?? 0;
    return free === 0 && this.#pending >= limit(this.#limits.maxPendingRequests);
  }

  /** Starts a request to `endpoint` (headers are sent when the caller writes or ends it). */
  request(endpoint: Endpoint, options: http.RequestOptions): http.ClientRequest {
    const args: EndpointOptions = {
      ...options,
      agent: this.#agent,
      host: endpoint.ip,
      port: endpoint.port,
      setHost: false,
      maxHeaderSize: this.#limits.maxHeaderSize,
      ambitEndpoint: endpoint,
    };
    const req = http.request(args);
    this.#pending++;
    let waiting = true;
    const stopWaiting = (): void => {
      if (waiting) this.#pending--;
      waiting = false;
    };
    req.once('socket', (socket: Duplex) => {
      stopWaiting();
      this.#countRequest(req, socket);
    });
    req.once('close', stopWaiting);
    return req;
  }

  /** Stops keeping connections: idle ones close now, busy ones after their response (a config change replaced this pool). */
  retire(): void {
    this.#agent.retired = true;
    for (const sockets of Object.values(this.#agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  /** Closes every connection. */
  close(): void {
    this.#agent.destroy();
  }

  /** maxRequestsPerConnection: the connection that served its last request closes when the response ends. */
  #countRequest(req: http.ClientRequest, socket: Duplex): void {
    const max = this.#limits.maxRequestsPerConnection;
    if (max <= 0) return;
    const served = (this.#served.get(socket) ?? 0) + 1;
    this.#served.set(socket, served);
    if (served < max) return;
    // Runs after node's own 'end' handler, before the agent (on the next tick) takes the socket back.
    req.once('response', (res: http.IncomingMessage) => res.once('end', () => socket.destroy()));
  }
}

/** A node http.Agent whose connections are the connector's streams. */
class TunnelAgent extends http.Agent {
  retired = false;
  readonly #connector: UpstreamConnector;
  readonly #limits: PoolLimits;
  readonly #clock: Clock;
  readonly #idle = new WeakMap<Duplex, TimerHandle>();

  constructor(connector: UpstreamConnector, limits: PoolLimits, clock: Clock) {
    // LIFO: the most recently used connection is reused, so that surplus ones go idle and time out.
    super({ keepAlive: true, maxTotalSockets: limit(limits.maxConnections), scheduling: 'lifo' });
    this.#connector = connector;
    this.#limits = limits;
    this.#clock = clock;
  }

  override getName(options?: http.ClientRequestArgs): string {
    return (options as EndpointOptions).ambitEndpoint.uid;
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const endpoint = (options as EndpointOptions).ambitEndpoint;
    const done = callback ?? (() => undefined);
    const controller = new AbortController();
    let settled = false;
    const timer = this.#clock.setTimer(this.#limits.connectTimeoutMs, () => {
      if (settled) return;
      settled = true;
      const error = new UpstreamConnectError(endpoint, true);
      controller.abort(error);
      done(error, undefined as unknown as Duplex);
    });
    this.#connector.connect(endpoint, controller.signal).then(
      (stream) => {
        timer.cancel();
        if (settled) {
          stream.destroy();
          return;
        }
        settled = true;
        done(null, socketLike(stream));
      },
      (error: unknown) => {
        timer.cancel();
        if (settled) return;
        settled = true;
        done(new UpstreamConnectError(endpoint, false, error), undefined as unknown as Duplex);
      },
    );
    return undefined;
  }

  /** Keeps a connection for reuse with an idle timer, unless retired or another endpoint waits for a connection slot. */
  override keepSocketAlive(socket: Duplex): boolean {
    if (this.retired || this.#othersWaiting()) return false;
    this.#idle.set(
      socket,
      this.#clock.setTimer(this.#limits.idleTimeoutMs, () => socket.destroy()),
    );
    return true;
  }

  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    this.#idle.get(socket)?.cancel();
    this.#idle.delete(socket);
    super.reuseSocket(socket, request);
  }

  /** With maxConnections reached, node's agent would keep this idle connection while another endpoint's requests wait. */
  #othersWaiting(): boolean {
    if (this.maxTotalSockets === Infinity) return false;
    return Object.values(this.requests).some((queue) => (queue?.length ?? 0) > 0);
  }
}

/**
 * node's agent calls ref/unref (and, by default, setKeepAlive/setTimeout) on its
 * sockets; a tunnel stream is a plain Duplex, so the missing ones become no-ops.
 */
function socketLike(stream: Duplex): Duplex {
  const s = stream as Duplex & { ref?: () => unknown; unref?: () => unknown };
  s.ref ??= () => s;
  s.unref ??= () => s;
  return s;
}
