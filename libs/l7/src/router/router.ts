import type { IncomingMessage } from 'node:http';
import type { Logger } from '@ambit/telemetry';
import type { Exchange } from '../engine/exchange.js';
import type { Clock, EndpointResolver, TimerHandle } from '../engine/types.js';
import { appendHeader, endToEndHeaders, joined, type HeaderMap } from '../http/headers.js';
import { ResponseFlag } from '../http/response-flags.js';
import type { CompiledRoute, ForwardAction, WeightedDestination } from '../routing/route-table.js';
import type { ClusterRuntime } from '../upstream/cluster-runtime.js';
import { hashKey } from './hash-key.js';
import { sendMirror } from './mirror.js';
import { RequestBody } from './request-body.js';
import type { AttemptFailure } from './retry-policy.js';
import { sendAttempt, type Attempt, type AttemptResult } from './upstream-attempt.js';

export interface RouterDependencies {
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  readonly endpoints: EndpointResolver;
  readonly clock: Clock;
  readonly random: () => number;
  /** Request body bytes kept for retries (Envoy's retry buffer). */
  readonly retryBufferBytes: number;
  readonly log: Logger;
}

// Envoy's local-reply texts, which clients and dashboards recognise.
const RESET_BEFORE_HEADERS = 'upstream connect error or disconnect/reset before headers. reset reason: ';
const FAILURE_REPLY: Readonly<Record<AttemptFailure, { status: number; body: string; flag: ResponseFlag }>> = {
  'connect-failure': { status: 503, body: `${RESET_BEFORE_HEADERS}connection failure`, flag: ResponseFlag.UPSTREAM_CONNECT_FAILURE },
  reset: { status: 503, body: `${RESET_BEFORE_HEADERS}connection termination`, flag: ResponseFlag.UPSTREAM_CONNECTION_TERMINATION },
  'protocol-error': { status: 502, body: `${RESET_BEFORE_HEADERS}protocol error`, flag: ResponseFlag.UPSTREAM_PROTOCOL_ERROR },
  'per-try-timeout': { status: 504, body: 'upstream request timeout', flag: ResponseFlag.UPSTREAM_REQUEST_TIMEOUT },
};

/**
 * The forward action, as Envoy's router filter runs it: pick a weighted destination,
 * rewrite and decorate the request, mirror it, then try endpoints under the retry
 * policy (backoff between tries, per-try and route timeouts, circuit breakers) and
 * relay the answer that ends it.
 */
export class ForwardCall {
  readonly #x: Exchange;
  readonly #route: CompiledRoute;
  readonly #action: ForwardAction;
  readonly #deps: RouterDependencies;
  readonly #destination: WeightedDestination;
  #attempt: Attempt | undefined;
  #response: IncomingMessage | undefined;
  #timedOut = false;
  #timer: TimerHandle | undefined;
  #wake: (() => void) | undefined;
  #setCookie: string | undefined;

  constructor(exchange: Exchange, route: CompiledRoute, action: ForwardAction, deps: RouterDependencies) {
    this.#x = exchange;
    this.#route = route;
    this.#action = action;
    this.#deps = deps;
    this.#destination = action.destinations.pick(deps.random);
  }

  async run(matchIndex: number): Promise<void> {
    const x = this.#x;
    const destination = this.#destination;
    const cluster = destination.cluster === '' ? undefined : this.#deps.clusters.get(destination.cluster);
    x.cluster = destination.cluster === '' ? undefined : destination.cluster;
    if (cluster === undefined) {
      this.#reply(503, '', ResponseFlag.NO_CLUSTER);
      return;
    }
    if (!cluster.tryBeginRequest()) {
      this.#reply(503, `${RESET_BEFORE_HEADERS}overflow`, ResponseFlag.UPSTREAM_OVERFLOW);
      return;
    }
    const body = new RequestBody(x.req, this.#deps.retryBufferBytes);
    x.requestBytes = () => body.received;
    const { target, headers } = this.#upstreamRequest(matchIndex);
    const key = hashKey(cluster.config.loadBalancer?.consistentHash ?? null, x.request, this.#deps.random);
    this.#setCookie = key.setCookie;
    const stop = (): void => this.#stop();
    x.res.once('close', stop);
    if (this.#action.timeoutMs > 0) this.#timer = this.#deps.clock.setTimer(this.#action.timeoutMs, () => this.#routeTimeout());
    try {
      this.#mirror(x.req.method ?? 'GET', target, headers, body);
      await this.#tryUntilDone(cluster, key.hash, { method: x.req.method ?? 'GET', path: target, headers, body });
    } finally {
      this.#timer?.cancel();
      x.res.off('close', stop);
      cluster.endRequest();
    }
  }

  async #tryUntilDone(cluster: ClusterRuntime, hash: number | undefined, request: { method: string; path: string; headers: HeaderMap; body: RequestBody }): Promise<void> {
    const x = this.#x;
    const policy = this.#action.retries;
    const tried = new Set<string>();
    let retries = 0;
    for (;;) {
      const endpoints = this.#deps.endpoints.endpoints(cluster.config);
      const endpoint = cluster.pick(endpoints, hash, tried);
      if (endpoint === undefined) {
        this.#reply(503, 'no healthy upstream', ResponseFlag.NO_HEALTHY_UPSTREAM);
        return;
      }
      x.endpoint = endpoint;
      if (cluster.pool.wouldOverflow(endpoint)) {
        this.#reply(503, `${RESET_BEFORE_HEADERS}overflow`, ResponseFlag.UPSTREAM_OVERFLOW);
        return;
      }
      this.#attempt = sendAttempt(cluster, endpoint, endpoints.length, { ...request, perTryTimeoutMs: policy?.perTryTimeoutMs ?? 0 }, this.#deps.clock);
      const result = await this.#attempt.result;
      this.#attempt = undefined;
      if (retries > 0) cluster.endRetry();
      if (this.#over()) {
        if (result.kind === 'response') result.response.destroy();
        return;
      }
      const retriable = policy !== undefined && isRetriable(result, policy);
      if (retriable && retries < policy.attempts && request.body.replayable && cluster.tryBeginRetry()) {
        if (result.kind === 'response') result.response.resume();
        retries++;
        tried.add(endpoint.uid);
        await this.#sleep(policy.backoffMs(retries, this.#deps.random));
        if (this.#over()) {
          cluster.endRetry();
          return;
        }
        continue;
      }
      if (retriable && retries > 0 && retries >= policy.attempts) x.flags.add(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
      switch (result.kind) {
        case 'response':
          await this.#relay(result.response);
          return;
        case 'failure': {
          const reply = FAILURE_REPLY[result.failure];
          this.#reply(reply.status, reply.body, reply.flag);
          return;
        }
        default:
          // Only a retry can find the body gone, and retries check replayable first.
          this.#reply(503, `${RESET_BEFORE_HEADERS}connection termination`, ResponseFlag.UPSTREAM_CONNECTION_TERMINATION);
          return;
      }
    }
  }

  /** Path (rewritten), authority and headers of the upstream request: end-to-end headers, x-request-id, x-forwarded-proto, then the destination's and the route's header operations (Envoy's order: most specific first, so the route's win). */
  #upstreamRequest(matchIndex: number): { target: string; headers: HeaderMap } {
    const x = this.#x;
    const view = x.request;
    const rewrite = this.#action.rewrite;
    const path = rewrite === undefined ? view.path : rewrite.path(view.path, matchIndex);
    const headers = endToEndHeaders(x.req.headers);
    headers['host'] = rewrite?.authority ?? view.authority;
    headers['x-request-id'] = x.requestId;
    headers['x-forwarded-proto'] ??= view.scheme;
    this.#destination.requestHeaders?.(headers, x);
    this.#route.requestHeaders?.(headers, x);
    return { target: view.query === '' ? path : `${path}?${view.query}`, headers };
  }

  #mirror(method: string, target: string, headers: HeaderMap, body: RequestBody): void {
    for (const mirror of this.#action.mirrors) {
      if (mirror.percent < 100 && this.#deps.random() * 100 >= mirror.percent) continue;
      const cluster = this.#deps.clusters.get(mirror.cluster);
      if (cluster !== undefined) sendMirror(cluster, this.#deps.endpoints.endpoints(cluster.config), method, target, headers, body);
    }
  }

  /** Streams the upstream answer to the client with the response header operations, CORS and cookie headers. */
  #relay(response: IncomingMessage): Promise<void> {
    const x = this.#x;
    this.#response = response;
    const headers = this.#responseHeaders(endToEndHeaders(response.headers));
    if (!x.writeHead(response.statusCode ?? 502, headers)) {
      response.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      response.on('data', (chunk: Buffer) => {
        if (!x.write(chunk)) {
          response.pause();
          x.res.once('drain', () => response.resume());
        }
      });
      response.once('end', () => {
        if (Object.keys(response.trailers).length > 0) x.res.addTrailers(response.trailers);
        x.res.end();
      });
      response.once('close', () => {
        if (!response.complete && !x.gone) {
          // Reset mid-response: the client must see a broken stream, not a short body.
          x.reset(ResponseFlag.UPSTREAM_REMOTE_RESET);
        }
        resolve();
      });
    });
  }

  #responseHeaders(headers: HeaderMap): HeaderMap {
    const x = this.#x;
    this.#destination.responseHeaders?.(headers, x);
    this.#route.responseHeaders?.(headers, x);
    const cors = this.#route.cors?.responseHeaders(x.request);
    if (cors !== undefined) Object.assign(headers, cors);
    if (this.#setCookie !== undefined) appendHeader(headers, 'set-cookie', this.#setCookie);
    return headers;
  }

  /** A local reply from the router, with the route's response headers as Envoy applies them to its router's replies. */
  #reply(status: number, body: string, flag: ResponseFlag): void {
    this.#x.reply(status, body, flag, this.#responseHeaders({}));
  }

  #routeTimeout(): void {
    this.#timedOut = true;
    this.#wake?.();
    this.#attempt?.abort();
    if (this.#x.headersSent) {
      this.#response?.destroy();
      this.#x.reset(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
    } else this.#reply(504, 'upstream request timeout', ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
  }

  /** The client went away: whatever is in flight upstream is dropped. */
  #stop(): void {
    this.#wake?.();
    this.#attempt?.abort();
    this.#response?.destroy();
  }

  #over(): boolean {
    return this.#timedOut || this.#x.gone;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#deps.clock.setTimer(ms, () => {
        this.#wake = undefined;
        resolve();
      });
      this.#wake = () => {
        timer.cancel();
        this.#wake = undefined;
        resolve();
      };
    });
  }
}

function isRetriable(result: AttemptResult, policy: NonNullable<ForwardAction['retries']>): boolean {
  switch (result.kind) {
    case 'response':
      return policy.retriesStatus(result.response.statusCode ?? 502, joined(result.response.headers['grpc-status']));
    case 'failure':
      return policy.retriesFailure(result.failure);
    default:
      return false;
  }
}
