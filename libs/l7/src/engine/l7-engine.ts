import { SILENT_LOGGER, errorText, type Logger } from '@ambit/telemetry';
import type { l7V1 } from '@ambit/xds';
import { L7OptionError } from '../errors.js';
import { decideFault } from '../filters/fault.js';
import type { DownstreamRequest } from '../http/downstream-request.js';
import type { HeaderMap } from '../http/headers.js';
import { ResponseFlag } from '../http/response-flags.js';
import { redirectLocation } from '../routing/redirect.js';
import { CompiledRouteTable, type CompiledRoute, type RouteSelection } from '../routing/route-table.js';
import { ForwardCall, type RouterDependencies } from '../router/router.js';
import { ClusterRuntime } from '../upstream/cluster-runtime.js';
import { SYSTEM_CLOCK } from './clock.js';
import { DEFAULT_MAX_HEADER_BYTES, DEFAULT_RETRY_BUFFER_BYTES } from './limits.js';
import { Exchange, type DownstreamResponse } from './exchange.js';
import type { AuthorizeHook, Clock, EndpointResolver, L7Resources, RequestContext, RequestObserver, UpstreamConnector } from './types.js';

export interface L7EngineOptions<C extends RequestContext = RequestContext> {
  /** Opens streams to endpoints (HBONE in the apps). */
  readonly upstream: UpstreamConnector;
  /** Authorizes each routed request (a waypoint's AuthorizationPolicies); default: everything is allowed. */
  readonly authorize?: AuthorizeHook<C>;
  readonly log?: Logger;
  /** Told about every completed request (Istio's HTTP metrics). */
  readonly metrics?: RequestObserver;
  /** In [0, 1): weights, fault and mirror percentages, load balancing, backoff jitter. Default Math.random. */
  readonly random?: () => number;
  readonly clock?: Clock;
  /** The `server` header of every response. Default `istio-envoy`, what Istio's proxies send. */
  readonly serverName?: string;
  /** Request body bytes kept for retries; a longer body is not retried. Default 64 KiB. */
  readonly retryBufferBytes?: number;
  /** Upstream response headers beyond this are a protocol error (502 UPE). Default 60 KiB, Envoy's default. */
  readonly maxResponseHeaderBytes?: number;
}


const NO_ENDPOINTS: EndpointResolver = { endpoints: () => [] };

/** Envoy's RBAC filter answer, word for word. */
const RBAC_DENIED_BODY = 'RBAC: access denied';

/**
 * The L7 engine of a waypoint or an ingress gateway: it executes the RouteTables and
 * Clusters the control plane compiled (it never reads Istio's CRDs). One per proxy; xDS
 * updates replace the compiled tables atomically while cluster state (connections,
 * outlier ejections, counters) survives for clusters whose policy did not change.
 *
 * Per request: route table → virtual host → first matching route → authorize → CORS preflight →
 * fault (delay, abort) → redirect | direct response | forward (router: weighted
 * destination, rewrite, headers, mirrors, retries, timeouts, load balancing, circuit
 * breakers, outlier detection, upstream HTTP/1.1 over the connector's streams).
 */
export class L7Engine<C extends RequestContext = RequestContext> {
  readonly #options: Required<Omit<L7EngineOptions<C>, 'metrics' | 'authorize'>> & Pick<L7EngineOptions<C>, 'metrics' | 'authorize'>;
  #tables = new Map<string, CompiledRouteTable>();
  #clusters = new Map<string, ClusterRuntime>();
  #endpoints: EndpointResolver = NO_ENDPOINTS;
  readonly #unknownTablesLogged = new Set<string>();

  constructor(options: L7EngineOptions<C>) {
    const retryBufferBytes = options.retryBufferBytes ?? DEFAULT_RETRY_BUFFER_BYTES;
    if (!Number.isInteger(retryBufferBytes) || retryBufferBytes < 0) throw new L7OptionError('retryBufferBytes', retryBufferBytes, 'must be a non-negative integer');
    const maxResponseHeaderBytes = options.maxResponseHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    if (!Number.isInteger(maxResponseHeaderBytes) || maxResponseHeaderBytes < 1024) {
      throw new L7OptionError('maxResponseHeaderBytes', maxResponseHeaderBytes, 'must be an integer of at least 1024');
    }
    const serverName = options.serverName ?? 'istio-envoy';
    if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(serverName)) throw new L7OptionError('serverName', serverName, 'must be printable ASCII without leading or trailing spaces');
    this.#options = {
      upstream: options.upstream,
      log: options.log ?? SILENT_LOGGER,
      metrics: options.metrics,
      authorize: options.authorize,
      random: options.random ?? Math.random,
      clock: options.clock ?? SYSTEM_CLOCK,
      serverName,
      retryBufferBytes,
      maxResponseHeaderBytes,
    };
  }

  /**
   * Replaces the resources. Every RouteTable is compiled first; one that cannot be
   * (an invalid RE2 regex, a route without action, …) throws InvalidL7ResourceError and
   * nothing changes, so that the app NACKs and keeps serving its last good config.
   */
  update(resources: L7Resources): void {
    const tables = new Map<string, CompiledRouteTable>();
    for (const [name, table] of resources.routeTables) tables.set(name, CompiledRouteTable.compile(name, table));
    const clusters = new Map<string, ClusterRuntime>();
    for (const [name, config] of resources.clusters) {
      const current = this.#clusters.get(name);
      clusters.set(name, current !== undefined && sameCluster(current.config, config) ? current : this.#newCluster(name, config));
    }
    for (const [name, runtime] of this.#clusters) if (clusters.get(name) !== runtime) runtime.retire();
    this.#tables = tables;
    this.#clusters = clusters;
    this.#endpoints = resources.endpoints;
    this.#unknownTablesLogged.clear();
  }

  /** Serves one request in a listener context. Never throws: every failure is an HTTP answer. */
  handle(req: DownstreamRequest, res: DownstreamResponse, context: C): void {
    const o = this.#options;
    const exchange = new Exchange(req, res, context, { serverName: o.serverName }, () => o.clock.now(), o.metrics);
    this.#serve(exchange, context).catch((error: unknown) => {
      o.log.error('request failed inside the engine', { route: exchange.route, error: errorText(error) });
      if (!exchange.headersSent) exchange.reply(500, 'internal error');
      else exchange.reset();
    });
  }

  /** Stops every cluster's timers and closes every upstream connection. */
  close(): void {
    for (const runtime of this.#clusters.values()) runtime.close();
    this.#clusters = new Map();
    this.#tables = new Map();
  }

  async #serve(x: Exchange, context: C): Promise<void> {
    const table = this.#tables.get(x.context.routeTable);
    if (table === undefined) {
      this.#logUnknownTable(x.context.routeTable);
      x.reply(404, '', ResponseFlag.NO_ROUTE);
      return;
    }
    const selection = table.route(x.request);
    if (selection === undefined) {
      x.reply(404, '', ResponseFlag.NO_ROUTE);
      return;
    }
    const route = selection.route;
    x.route = route.name;
    if (!this.#authorized(x, context, route)) return;
    const preflight = route.cors?.preflight(x.request);
    if (preflight !== undefined) {
      x.reply(200, '', undefined, preflight);
      return;
    }
    if (route.fault !== undefined && (await this.#fault(x, route.fault))) return;
    await this.#act(x, route, selection);
  }

  /**
   * The authorize hook, after routing and before anything else acts on the request
   * (Istio puts the RBAC filter ahead of CORS and fault); false when it denied and was answered.
   */
  #authorized(x: Exchange, context: C, route: CompiledRoute): boolean {
    const authorize = this.#options.authorize;
    if (authorize === undefined) return true;
    const { method, path, authority } = x.request;
    if (authorize({ req: x.req, context, route: route.name, host: authority, method, path }).allowed) return true;
    x.reply(403, RBAC_DENIED_BODY, ResponseFlag.RBAC_DENIED);
    return false;
  }

  /** Envoy's fault filter: true when the request was answered (aborted) or the client left during the delay. */
  async #fault(x: Exchange, fault: l7V1.FaultInjection): Promise<boolean> {
    const decision = decideFault(fault, this.#options.random);
    if (decision.delayMs > 0) {
      x.flags.add(ResponseFlag.DELAY_INJECTED);
      await new Promise<void>((resolve) => {
        const timer = this.#options.clock.setTimer(decision.delayMs, resolve);
        x.res.once('close', () => {
          timer.cancel();
          resolve();
        });
      });
      if (x.gone) return true;
    }
    const abort = decision.abort;
    if (abort === undefined) return false;
    if (abort.kind === 'http') x.reply(abort.status, 'fault filter abort', ResponseFlag.FAULT_INJECTED);
    else x.reply(200, '', ResponseFlag.FAULT_INJECTED, { 'content-type': 'application/grpc', 'grpc-status': String(abort.code), 'grpc-message': 'fault filter abort' });
    return true;
  }

  async #act(x: Exchange, route: CompiledRoute, selection: RouteSelection): Promise<void> {
    const action = route.action;
    switch (action.kind) {
      case 'forward':
        await new ForwardCall(x, route, action, this.#routerDependencies()).run(selection.matchIndex);
        return;
      case 'redirect':
        x.reply(action.redirect.status || 301, '', undefined, this.#localResponseHeaders(x, route, { location: redirectLocation(action.redirect, x.request) }));
        return;
      default:
        x.reply(action.status, action.body, (action.responseFlag || undefined) as ResponseFlag | undefined, this.#localResponseHeaders(x, route, {}));
    }
  }

  /** A route's response header operations and CORS headers, on a redirect or direct response (Envoy applies both). */
  #localResponseHeaders(x: Exchange, route: CompiledRoute, headers: HeaderMap): HeaderMap {
    route.responseHeaders?.(headers, x);
    const cors = route.cors?.responseHeaders(x.request);
    return cors === undefined ? headers : Object.assign(headers, cors);
  }

  #routerDependencies(): RouterDependencies {
    const o = this.#options;
    return { clusters: this.#clusters, endpoints: this.#endpoints, clock: o.clock, random: o.random, retryBufferBytes: o.retryBufferBytes, log: o.log };
  }

  #newCluster(name: string, config: l7V1.Cluster): ClusterRuntime {
    const o = this.#options;
    return new ClusterRuntime(name, config, {
      connector: o.upstream,
      clock: o.clock,
      random: o.random,
      maxResponseHeaderSize: o.maxResponseHeaderBytes,
      onEjection: (cluster, uid, ejected) => o.log.info(ejected ? 'outlier detection ejected an endpoint' : 'an ejected endpoint returned', { cluster, endpoint: uid }),
    });
  }

  /** Once per table name per update: a listener asked for a table xDS has not delivered (yet). */
  #logUnknownTable(name: string): void {
    if (this.#unknownTablesLogged.has(name)) return;
    this.#unknownTablesLogged.add(name);
    this.#options.log.warn('no route table of that name; answering 404 (NR)', { routeTable: name });
  }
}

/** Clusters are plain decoded messages: equal JSON means equal policy. */
function sameCluster(a: l7V1.Cluster, b: l7V1.Cluster): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
