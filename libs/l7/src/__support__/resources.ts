import type { l7V1 } from '@ambit/xds';

// Builders for ambit.l7.v1 messages with the decoder's defaults, so that tests spell only what they mean.

export function seededRandom(seed: number): () => number {
  // mulberry32: small, fast and good enough for statistical tests.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function routeMatch(fields: Partial<l7V1.RouteMatch> = {}): l7V1.RouteMatch {
  return { uri: null, scheme: null, method: null, authority: null, headers: [], queryParams: [], sourceLabels: {}, sourceNamespace: '', ignoreUriCase: false, ...fields };
}

export const exact = (value: string): l7V1.StringMatch => ({ matchType: 'exact', exact: value });
export const prefix = (value: string): l7V1.StringMatch => ({ matchType: 'prefix', prefix: value });
export const regex = (value: string): l7V1.StringMatch => ({ matchType: 'regex', regex: value });

export function headerMatch(name: string, value: l7V1.StringMatch | null, invert = false): l7V1.HeaderMatch {
  return { name, value, invert };
}

type RouteBase = Omit<l7V1.Route, 'action' | 'forward' | 'redirect' | 'directResponse'>;

function routeBase(name: string, fields: Partial<RouteBase>): RouteBase {
  return { name, matches: [], requestHeaders: null, responseHeaders: null, fault: null, cors: null, ...fields };
}

export interface ForwardOptions extends Partial<Omit<l7V1.Forward, 'clusters'>> {
  readonly clusters: readonly (string | { cluster: string; weight: number; requestHeaders?: l7V1.HeaderOperations; responseHeaders?: l7V1.HeaderOperations })[];
}

export function forwardRoute(name: string, forward: ForwardOptions, fields: Partial<RouteBase> = {}): l7V1.Route {
  const clusters = forward.clusters.map((c) =>
    typeof c === 'string'
      ? { cluster: c, weight: 100, requestHeaders: null, responseHeaders: null }
      : { cluster: c.cluster, weight: c.weight, requestHeaders: c.requestHeaders ?? null, responseHeaders: c.responseHeaders ?? null },
  );
  return {
    ...routeBase(name, fields),
    action: 'forward',
    forward: { rewrite: null, timeoutMs: 0, retries: null, mirrors: [], ...forward, clusters },
  };
}

export function redirectRoute(name: string, redirect: Partial<l7V1.Redirect>, fields: Partial<RouteBase> = {}): l7V1.Route {
  return { ...routeBase(name, fields), action: 'redirect', redirect: { uri: '', authority: '', port: 0, portFromRequest: false, scheme: '', status: 0, ...redirect } };
}

export function directRoute(name: string, status: number, body: string, fields: Partial<RouteBase> = {}): l7V1.Route {
  return { ...routeBase(name, fields), action: 'directResponse', directResponse: { status, body: Buffer.from(body), responseFlag: '' } };
}

export function headerOps(ops: Partial<l7V1.HeaderOperations>): l7V1.HeaderOperations {
  return { set: [], add: [], remove: [], ...ops };
}

export function retries(fields: Partial<l7V1.RetryPolicy>): l7V1.RetryPolicy {
  return { attempts: 2, perTryTimeoutMs: 0, retryOn: ['5xx'], retriableStatusCodes: [], retryRemoteLocalities: false, backoffMs: 1, ...fields };
}

export function routeTable(virtualHosts: readonly { domains: string[]; routes: l7V1.Route[] }[]): l7V1.RouteTable {
  return { virtualHosts };
}

export function pool(fields: Partial<l7V1.ConnectionPool> = {}): l7V1.ConnectionPool {
  const unlimited = 4_294_967_295;
  return {
    maxConnections: unlimited,
    connectTimeoutMs: 10_000,
    http1MaxPendingRequests: unlimited,
    http2MaxRequests: unlimited,
    maxRequestsPerConnection: 0,
    maxRetries: unlimited,
    idleTimeoutMs: 3_600_000,
    ...fields,
  };
}

export function cluster(fields: Partial<l7V1.Cluster> = {}): l7V1.Cluster {
  return {
    service: 'default/echo.default.svc.cluster.local',
    hostname: 'echo.default.svc.cluster.local',
    port: 80,
    subset: '',
    subsetEndpoints: null,
    loadBalancer: { algorithm: 0, consistentHash: null },
    connectionPool: pool(),
    outlierDetection: null,
    tls: null,
    ...fields,
  };
}

export function outlier(fields: Partial<l7V1.OutlierDetection> = {}): l7V1.OutlierDetection {
  return { consecutiveServerErrors: 0, consecutiveGatewayErrors: 0, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 100, minHealthPercent: 0, ...fields };
}
