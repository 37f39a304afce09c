import type { VirtualServiceResource } from '@ambit/config-model';
import type { l7V1, MessageInit } from '@ambit/xds';
import { routeMatch, stringMatch, type MatchContext } from './route-match.js';
import { CLUSTER_NOT_FOUND, DEFAULT_REDIRECT_STATUS, DEFAULT_RETRIES } from './values.js';

export type HttpRoute = NonNullable<VirtualServiceResource['spec']['http']>[number];
type Headers = NonNullable<HttpRoute['headers']>;
type Destination = NonNullable<HttpRoute['mirror']>;

/** What compiling a route needs besides the route: its listener, and where destinations go. */
export interface RouteContext extends MatchContext {
  /** The Cluster a destination names, or "" when it names no service or subset. */
  readonly cluster: (destination: Destination, vsNamespace: string) => string;
}

/**
 * One VirtualService HTTP route as the proxy executes it, or undefined when none of
 * its matches applies to this listener. Istio's defaults are made explicit: the
 * default retry policy, weights that add up to 100, the redirect status.
 */
export function compileRoute(route: HttpRoute, vs: VirtualServiceResource, index: number, context: RouteContext): MessageInit<l7V1.Route> | undefined {
  const namespace = vs.metadata.namespace;
  const written = route.match ?? [];
  const matches = written.map((m) => routeMatch(m, namespace, context)).filter((m) => m !== undefined);
  if (written.length > 0 && matches.length === 0) return undefined;
  return {
    name: route.name ?? `${namespace}/${vs.metadata.name}/${index}`,
    matches,
    ...action(route, namespace, context),
    requestHeaders: headerOperations(route.headers?.request),
    responseHeaders: headerOperations(route.headers?.response),
    fault: fault(route.fault),
    cors: cors(route.corsPolicy),
  };
}

/** The route a service port gets without a VirtualService: everything to its own cluster, with Istio's default retries. */
export function defaultRoute(cluster: string): MessageInit<l7V1.Route> {
  return { name: 'default', action: 'forward', forward: { clusters: [{ cluster, weight: 100 }], retries: DEFAULT_RETRIES } };
}

function action(route: HttpRoute, namespace: string, context: RouteContext): MessageInit<l7V1.Route> {
  if (route.redirect !== undefined) return { action: 'redirect', redirect: redirect(route.redirect) };
  if (route.directResponse !== undefined) {
    const body = route.directResponse.body;
    const bytes = body?.bytes !== undefined ? Buffer.from(body.bytes, 'base64') : Buffer.from(body?.string ?? '', 'utf8');
    return { action: 'directResponse', directResponse: { status: route.directResponse.status, body: bytes } };
  }
  const destinations = route.route ?? [];
  const clusters = weighted(destinations.map((d) => d.weight ?? 0)).map((weight, i) => {
    const d = destinations[i]!;
    return { cluster: context.cluster(d.destination, namespace), weight, requestHeaders: headerOperations(d.headers?.request), responseHeaders: headerOperations(d.headers?.response) };
  });
  // Every destination unknown: Envoy answers each request 503 (cluster not found).
  if (clusters.every((c) => c.cluster === '')) {
    return { action: 'directResponse', directResponse: { status: CLUSTER_NOT_FOUND.status, responseFlag: CLUSTER_NOT_FOUND.responseFlag } };
  }
  return {
    action: 'forward',
    forward: {
      clusters: clusters.filter((c) => c.weight > 0),
      rewrite: rewrite(route.rewrite),
      timeoutMs: route.timeout ?? 0,
      retries: retries(route.retries),
      mirrors: mirrors(route, namespace, context),
    },
  };
}

/**
 * Istio's weights are relative; the proxy gets percentages that add up to 100 (the
 * rounding remainder goes to the first destinations). A single destination without a
 * weight takes everything.
 */
export function weighted(weights: readonly number[]): number[] {
  if (weights.length === 1) return [100];
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((w * 100) / total));
  let remainder = 100 - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % shares.length) {
    if (weights[i]! > 0) {
      shares[i]! += 1;
      remainder -= 1;
    }
  }
  return shares;
}

function redirect(r: NonNullable<HttpRoute['redirect']>): MessageInit<l7V1.Redirect> {
  return {
    uri: r.uri ?? '',
    authority: r.authority ?? '',
    port: r.port ?? 0,
    portFromRequest: r.derivePort === 'FROM_REQUEST_PORT',
    scheme: r.scheme ?? '',
    status: r.redirectCode === undefined || r.redirectCode === 0 ? DEFAULT_REDIRECT_STATUS : r.redirectCode,
  };
}

function rewrite(r: HttpRoute['rewrite']): MessageInit<l7V1.Rewrite> | undefined {
  if (r === undefined) return undefined;
  const regex = r.uriRegexRewrite;
  return {
    uri: r.uri ?? '',
    uriRegex: regex === undefined ? undefined : { pattern: regex.match ?? '', substitution: regex.rewrite ?? '' },
    authority: r.authority ?? '',
  };
}

/**
 * Istio's retry translation: no `retries` gets the default policy, `attempts: 0` none;
 * status codes in retryOn become retriable status codes (which then also need the
 * retriable-status-codes condition).
 */
function retries(r: HttpRoute['retries']): MessageInit<l7V1.RetryPolicy> | undefined {
  if (r === undefined) return DEFAULT_RETRIES;
  const attempts = r.attempts ?? 0;
  if (attempts === 0) return undefined;
  const entries = r.retryOn === undefined || r.retryOn === '' ? [...DEFAULT_RETRIES.retryOn!] : r.retryOn.split(',');
  const codes = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const conditions = entries.filter((e) => !/^\d+$/.test(e));
  if (codes.length > 0 && !conditions.includes('retriable-status-codes')) conditions.push('retriable-status-codes');
  return {
    attempts,
    perTryTimeoutMs: r.perTryTimeout ?? 0,
    retryOn: conditions,
    retriableStatusCodes: r.retryOn === undefined || r.retryOn === '' ? DEFAULT_RETRIES.retriableStatusCodes! : codes,
    retryRemoteLocalities: r.retryRemoteLocalities ?? false,
    backoffMs: r.backoff ?? 0,
  };
}

function mirrors(route: HttpRoute, namespace: string, context: RouteContext): MessageInit<l7V1.Mirror>[] {
  const legacy = route.mirror === undefined ? [] : [{ destination: route.mirror, percent: route.mirrorPercentage?.value ?? route.mirrorPercent ?? 100 }];
  const listed = (route.mirrors ?? []).map((m) => ({ destination: m.destination, percent: m.percentage?.value ?? 100 }));
  return [...legacy, ...listed].map((m) => ({ cluster: context.cluster(m.destination, namespace), percent: m.percent }));
}

function fault(f: HttpRoute['fault']): MessageInit<l7V1.FaultInjection> | undefined {
  if (f === undefined) return undefined;
  const delay = f.delay?.fixedDelay === undefined ? undefined : { fixedDelayMs: f.delay.fixedDelay, percent: f.delay.percentage?.value ?? f.delay.percent ?? 100 };
  const a = f.abort;
  let abort: MessageInit<l7V1.FaultInjection_Abort> | undefined;
  if (a?.httpStatus !== undefined) abort = { error: 'httpStatus', httpStatus: a.httpStatus, percent: a.percentage?.value ?? 100 };
  else if (a?.grpcStatus !== undefined) abort = { error: 'grpcStatus', grpcStatus: a.grpcStatus, percent: a.percentage?.value ?? 100 };
  return delay === undefined && abort === undefined ? undefined : { delay, abort };
}

function cors(c: HttpRoute['corsPolicy']): MessageInit<l7V1.CorsPolicy> | undefined {
  if (c === undefined) return undefined;
  // The deprecated allowOrigin list is exact origins.
  const origins = [...(c.allowOrigin ?? []).map((exact) => ({ matchType: 'exact' as const, exact })), ...(c.allowOrigins ?? []).map((o) => stringMatch(o)!)];
  return {
    allowOrigins: origins,
    allowMethods: c.allowMethods ?? [],
    allowHeaders: c.allowHeaders ?? [],
    exposeHeaders: c.exposeHeaders ?? [],
    maxAgeS: c.maxAge === undefined ? 0 : Math.floor(c.maxAge / 1000),
    allowCredentials: c.allowCredentials ?? false,
  };
}

function headerOperations(ops: Headers['request']): MessageInit<l7V1.HeaderOperations> | undefined {
  if (ops === undefined) return undefined;
  const list = (map: Readonly<Record<string, string>> | undefined) => Object.entries(map ?? {}).map(([name, value]) => ({ name, value }));
  return { set: list(ops.set), add: list(ops.add), remove: ops.remove ?? [] };
}
