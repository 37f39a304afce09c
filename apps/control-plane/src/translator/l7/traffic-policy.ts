import type { DestinationRuleResource } from '@ambit/config-model';
import { l7V1, type MessageInit } from '@ambit/xds';
import { DEFAULT_CONNECTION_POOL, DEFAULT_OUTLIER_DETECTION } from './values.js';

export type TrafficPolicy = NonNullable<DestinationRuleResource['spec']['trafficPolicy']>;
type PortPolicy = NonNullable<TrafficPolicy['portLevelSettings']>[number];

/** The four settings a port-level policy replaces. */
export type PolicyFields = Pick<TrafficPolicy, 'loadBalancer' | 'connectionPool' | 'outlierDetection' | 'tls'>;

const FIELDS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const;

/**
 * Istio's MergeTrafficPolicy for one port and subset: the top-level policy; replaced
 * wholesale by its portLevelSettings entry for the port (a port-level policy does not
 * inherit: what it leaves out is the default); then each setting the subset's policy
 * sets; then, wholesale again, the subset's own entry for the port.
 */
export function mergeTrafficPolicy(top: TrafficPolicy | undefined, subset: TrafficPolicy | undefined, port: number): PolicyFields {
  let merged: PolicyFields = atPort(top, port);
  if (subset !== undefined) {
    const overridden: Record<string, unknown> = { ...merged };
    for (const field of FIELDS) if (subset[field] !== undefined) overridden[field] = subset[field];
    merged = overridden as PolicyFields;
    const portLevel = portEntry(subset, port);
    if (portLevel !== undefined) merged = fieldsOf(portLevel);
  }
  return merged;
}

function atPort(policy: TrafficPolicy | undefined, port: number): PolicyFields {
  if (policy === undefined) return {};
  const portLevel = portEntry(policy, port);
  return fieldsOf(portLevel ?? policy);
}

function portEntry(policy: TrafficPolicy, port: number): PortPolicy | undefined {
  return policy.portLevelSettings?.find((p) => p.port.number === port);
}

function fieldsOf(p: PolicyFields): PolicyFields {
  return { loadBalancer: p.loadBalancer, connectionPool: p.connectionPool, outlierDetection: p.outlierDetection, tls: p.tls };
}

/** Istio's default is LEAST_REQUEST; LEAST_CONN is its old name and UNSPECIFIED the default. */
export function loadBalancer(lb: PolicyFields['loadBalancer']): MessageInit<l7V1.LoadBalancer> {
  const hash = lb?.consistentHash;
  if (hash !== undefined) {
    let key: MessageInit<l7V1.ConsistentHash> = {};
    if (hash.httpHeaderName !== undefined) key = { key: 'httpHeaderName', httpHeaderName: hash.httpHeaderName };
    else if (hash.httpCookie !== undefined) key = { key: 'httpCookie', httpCookie: { name: hash.httpCookie.name, path: hash.httpCookie.path ?? '', ttlMs: hash.httpCookie.ttl ?? 0 } };
    else if (hash.useSourceIp === true) key = { key: 'useSourceIp', useSourceIp: true };
    else if (hash.httpQueryParameterName !== undefined) key = { key: 'httpQueryParameterName', httpQueryParameterName: hash.httpQueryParameterName };
    return {
      algorithm: l7V1.LoadBalancer_Algorithm.CONSISTENT_HASH,
      consistentHash: { ...key, minimumRingSize: hash.ringHash?.minimumRingSize ?? hash.minimumRingSize ?? 0, maglevTableSize: hash.maglev?.tableSize ?? 0 },
    };
  }
  const { ROUND_ROBIN, RANDOM, PASSTHROUGH, LEAST_REQUEST } = l7V1.LoadBalancer_Algorithm;
  const algorithms: Record<string, l7V1.LoadBalancer_Algorithm> = { ROUND_ROBIN, RANDOM, PASSTHROUGH };
  return { algorithm: algorithms[lb?.simple ?? ''] ?? LEAST_REQUEST };
}

/** Istio's connection pool with its defaults filled in. */
export function connectionPool(pool: PolicyFields['connectionPool']): MessageInit<l7V1.ConnectionPool> {
  const d = DEFAULT_CONNECTION_POOL;
  return {
    maxConnections: pool?.tcp?.maxConnections ?? d.maxConnections,
    connectTimeoutMs: pool?.tcp?.connectTimeout ?? d.connectTimeoutMs,
    http1MaxPendingRequests: pool?.http?.http1MaxPendingRequests ?? d.http1MaxPendingRequests,
    http2MaxRequests: pool?.http?.http2MaxRequests ?? d.http2MaxRequests,
    maxRequestsPerConnection: pool?.http?.maxRequestsPerConnection ?? d.maxRequestsPerConnection,
    maxRetries: pool?.http?.maxRetries ?? d.maxRetries,
    idleTimeoutMs: pool?.http?.idleTimeout ?? d.idleTimeoutMs,
  };
}

/**
 * Outlier detection only when configured. consecutive5xxErrors defaults to 5 (Envoy's
 * default, which Istio keeps); the deprecated consecutiveErrors counts gateway errors.
 */
export function outlierDetection(o: PolicyFields['outlierDetection']): MessageInit<l7V1.OutlierDetection> | undefined {
  if (o === undefined) return undefined;
  const d = DEFAULT_OUTLIER_DETECTION;
  return {
    consecutiveServerErrors: o.consecutive5xxErrors ?? 5,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors ?? Math.max(0, o.consecutiveErrors ?? 0),
    intervalMs: o.interval ?? d.intervalMs,
    baseEjectionTimeMs: o.baseEjectionTime ?? d.baseEjectionTimeMs,
    maxEjectionPercent: o.maxEjectionPercent ?? d.maxEjectionPercent,
    minHealthPercent: o.minHealthPercent ?? d.minHealthPercent,
  };
}

/** Client TLS for endpoints without HBONE; ISTIO_MUTUAL and DISABLE both leave them plain (HBONE is the mesh's mTLS). */
export function upstreamTls(tls: PolicyFields['tls']): MessageInit<l7V1.UpstreamTls> | undefined {
  if (tls?.mode !== 'SIMPLE' && tls?.mode !== 'MUTUAL') return undefined;
  return {
    mode: tls.mode === 'SIMPLE' ? l7V1.UpstreamTls_Mode.SIMPLE : l7V1.UpstreamTls_Mode.MUTUAL,
    sni: tls.sni ?? '',
    subjectAltNames: tls.subjectAltNames ?? [],
    credentialName: tls.credentialName ?? '',
    insecureSkipVerify: tls.insecureSkipVerify ?? false,
  };
}
