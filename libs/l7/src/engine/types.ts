import type { Duplex } from 'node:stream';
import type { l7V1 } from '@ambit/xds';
import type { DownstreamRequest } from '../http/downstream-request.js';

/** One upstream endpoint of a cluster, as the app resolves it from its Address state. */
export interface Endpoint {
  /** The workload uid: the key of load-balancer, pool and outlier-detection state. */
  readonly uid: string;
  readonly ip: string;
  readonly port: number;
  /** The SPIFFE identity the endpoint must prove (the app's HBONE connector checks it). */
  readonly identity: string;
  /** False: the control plane (or the app) reports it unhealthy; skipped unless in panic mode. */
  readonly healthy: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Resolves a Cluster's endpoints (its service key, or its subset's workload uids) against the app's Address state. */
export interface EndpointResolver {
  endpoints(cluster: l7V1.Cluster): readonly Endpoint[];
}

/**
 * Opens a byte stream to an endpoint: the apps open HBONE tunnels, tests plain TCP. The
 * engine speaks HTTP/1.1 over it. `signal` aborts when the connect timeout fires.
 */
export interface UpstreamConnector {
  connect(endpoint: Endpoint, signal: AbortSignal): Promise<Duplex>;
}

/** What the engine reports once per request, for Istio's HTTP telemetry. */
export interface RequestInfo {
  /** The listener context the request was handled in (as given to `handle`): who sent it, for the source labels. */
  readonly context: RequestContext;
  /** The route's name; absent when no route matched. */
  readonly route?: string;
  /** The cluster resource name the request was routed to. */
  readonly cluster?: string;
  /** The endpoint of the last attempt. */
  readonly endpoint?: Endpoint;
  /** The status sent downstream; 0 when the client went away first. */
  readonly status: number;
  /** Envoy's response flags joined with ",", or "-" for none (Istio's label value). */
  readonly responseFlags: string;
  readonly durationMs: number;
  /** Request body bytes received from the client. */
  readonly requestBytes: number;
  /** Response body bytes sent to the client. */
  readonly responseBytes: number;
}

export interface RequestObserver {
  completed(info: RequestInfo): void;
}

/** The listener context of one request. */
export interface RequestContext {
  /** The RouteTable resource name. */
  readonly routeTable: string;
  readonly source: RequestSource;
  /** How the client reached the proxy: matched by RouteMatch.scheme and kept by redirects. */
  readonly scheme: 'http' | 'https';
}

export interface RequestSource {
  /** SPIFFE identity of the client (waypoint: the original client's). */
  readonly identity?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ip?: string;
}

/** What the `authorize` hook is asked about: a request whose route (and so destination) is known. */
export interface AuthorizeRequest<C extends RequestContext = RequestContext> {
  readonly req: DownstreamRequest;
  /** The listener context the request is handled in, as given to `handle`. */
  readonly context: C;
  /** The matched route's name. */
  readonly route: string;
  /** Host or :authority as sent (port included if the client sent one). */
  readonly host: string;
  readonly method: string;
  /** The path as the router sees it: dot segments removed, query string cut off. */
  readonly path: string;
}

/** The hook's answer; `policy` names the deciding policy, for logs. */
export interface AuthorizeResult {
  readonly allowed: boolean;
  readonly policy?: string | undefined;
}

/**
 * Decides whether a routed request may proceed (Envoy's RBAC filter). It runs before
 * CORS, fault injection and any upstream call; a denial is answered 403 `RBAC: access
 * denied` with the RBAC response flag. It must not throw (the engine answers 500 if it does).
 */
export type AuthorizeHook<C extends RequestContext = RequestContext> = (request: AuthorizeRequest<C>) => AuthorizeResult;

/** A timer that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/** Time as the engine sees it: tests substitute a fake one. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `callback` after `ms`; the timer never keeps the process alive. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

/** The resources the engine executes, as xDS last delivered them. */
export interface L7Resources {
  readonly routeTables: ReadonlyMap<string, l7V1.RouteTable>;
  readonly clusters: ReadonlyMap<string, l7V1.Cluster>;
  readonly endpoints: EndpointResolver;
}
