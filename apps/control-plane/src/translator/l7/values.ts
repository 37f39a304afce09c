import type { l7V1, MessageInit } from '@ambit/xds';

/** Istio's retry policy for a route whose VirtualService says nothing about retries. */
export const DEFAULT_RETRIES: MessageInit<l7V1.RetryPolicy> = {
  attempts: 2,
  retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
  retriableStatusCodes: [503],
};

/** "Unlimited" in Istio's connection pool settings (2^32 - 1). */
export const UNLIMITED = 4_294_967_295;

/** Istio's connection pool defaults, filled in so that proxies need none of their own. */
export const DEFAULT_CONNECTION_POOL: MessageInit<l7V1.ConnectionPool> = {
  maxConnections: UNLIMITED,
  connectTimeoutMs: 10_000,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  maxRequestsPerConnection: 0,
  maxRetries: UNLIMITED,
  idleTimeoutMs: 3_600_000,
};

/** Istio's outlier detection defaults once outlierDetection is set. */
export const DEFAULT_OUTLIER_DETECTION = {
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  minHealthPercent: 0,
} as const;

/** Envoy's status for a route to a cluster that does not exist, and its response flag. */
export const CLUSTER_NOT_FOUND = { status: 503, responseFlag: 'NC' } as const;

/** The status of a redirect whose VirtualService gives none. */
export const DEFAULT_REDIRECT_STATUS = 301;
