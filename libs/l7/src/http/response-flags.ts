/**
 * Envoy's response flags that the engine reports (Istio's `response_flags` label):
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags
 */
export const ResponseFlag = {
  /** No route (or no virtual host, or no route table) for the request. */
  NO_ROUTE: 'NR',
  /** The route's cluster does not exist. */
  NO_CLUSTER: 'NC',
  /** No healthy upstream endpoint. */
  NO_HEALTHY_UPSTREAM: 'UH',
  /** Upstream connection failure. */
  UPSTREAM_CONNECT_FAILURE: 'UF',
  /** The upstream connection closed before the response. */
  UPSTREAM_CONNECTION_TERMINATION: 'UC',
  /** The upstream reset the stream mid-response. */
  UPSTREAM_REMOTE_RESET: 'UR',
  /** Circuit breaker overflow (pending requests, active requests). */
  UPSTREAM_OVERFLOW: 'UO',
  /** Upstream request timeout. */
  UPSTREAM_REQUEST_TIMEOUT: 'UT',
  /** Retries exhausted, the last answer passed on. */
  UPSTREAM_RETRY_LIMIT_EXCEEDED: 'URX',
  /** The upstream answered something that is not valid HTTP. */
  UPSTREAM_PROTOCOL_ERROR: 'UPE',
  /** Fault injection: abort. */
  FAULT_INJECTED: 'FI',
  /** Fault injection: delay. */
  DELAY_INJECTED: 'DI',
  /** The authorize hook (RBAC) denied the request. */
  RBAC_DENIED: 'RBAC',
  /** The client went away before the response was complete. */
  DOWNSTREAM_CONNECTION_TERMINATION: 'DC',
} as const;
export type ResponseFlag = (typeof ResponseFlag)[keyof typeof ResponseFlag];
