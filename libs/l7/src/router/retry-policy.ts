import type { l7V1 } from '@ambit/xds';

/** Why an attempt produced no upstream response. */
export type AttemptFailure =
  /** The connection could not be opened (or the connect timeout fired): Envoy's UF. */
  | 'connect-failure'
  /** The connection closed or was reset before response headers: Envoy's UC. */
  | 'reset'
  /** The upstream answered something that is not HTTP (or oversized headers): Envoy's UPE. */
  | 'protocol-error'
  /** The per-try timeout fired before response headers. */
  | 'per-try-timeout';

/** Envoy's default retry backoff base; the cap is ten times the base. */
export const DEFAULT_BACKOFF_BASE_MS = 25;

// gRPC retry conditions read the grpc-status of the response headers (trailers-only answers).
const GRPC_CONDITIONS: Readonly<Record<string, number>> = { cancelled: 1, 'deadline-exceeded': 4, 'resource-exhausted': 8, internal: 13, unavailable: 14 };

/**
 * A route's RetryPolicy as Envoy's router evaluates it (RetryStateImpl): which answers
 * and failures are retried, and the jittered exponential backoff between tries.
 * Conditions Envoy has but Ambit does not evaluate (envoy-ratelimited,
 * reset-before-request, http3-post-connect-failure) never trigger a retry.
 */
export class RetryPolicy {
  readonly attempts: number;
  readonly perTryTimeoutMs: number;
  readonly #baseMs: number;
  readonly #on: ReadonlySet<string>;
  readonly #statuses: ReadonlySet<number>;
  readonly #grpc: ReadonlySet<number>;

  constructor(policy: l7V1.RetryPolicy) {
    this.attempts = policy.attempts;
    this.perTryTimeoutMs = policy.perTryTimeoutMs;
    this.#baseMs = policy.backoffMs > 0 ? policy.backoffMs : DEFAULT_BACKOFF_BASE_MS;
    this.#on = new Set(policy.retryOn.map((c) => c.trim().toLowerCase()));
    this.#statuses = this.#on.has('retriable-status-codes') ? new Set(policy.retriableStatusCodes) : new Set();
    this.#grpc = new Set(Object.entries(GRPC_CONDITIONS).filter(([name]) => this.#on.has(name)).map(([, code]) => code));
  }

  /** Whether an upstream answer with this status (and grpc-status header, if any) is retried. */
  retriesStatus(status: number, grpcStatus?: string): boolean {
    const on = this.#on;
    if (on.has('5xx') && status >= 500) return true;
    if (on.has('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
    if (on.has('retriable-4xx') && status === 409) return true;
    if (this.#statuses.has(status)) return true;
    return grpcStatus !== undefined && this.#grpc.has(Number(grpcStatus));
  }

  /**
   * Whether a failed attempt is retried. A per-try timeout counts as a 504 answer, as in
   * Envoy; resets and connect failures are retried by 5xx, gateway-error and reset, and
   * connect failures by connect-failure too. (refused-stream needs an HTTP/2 upstream,
   * whose REFUSED_STREAM is the only reset it names.)
   */
  retriesFailure(failure: AttemptFailure): boolean {
    if (failure === 'per-try-timeout') return this.retriesStatus(504);
    const on = this.#on;
    if (failure === 'connect-failure' && on.has('connect-failure')) return true;
    return on.has('5xx') || on.has('gateway-error') || on.has('reset');
  }

  /**
   * The wait before retry number `retry` (1-based): Envoy's JitteredExponentialBackOff,
   * uniform in [0, (2^retry - 1) × base), capped at 10 × base.
   */
  backoffMs(retry: number, random: () => number): number {
    const max = this.#baseMs * 10;
    const ceiling = Math.min((2 ** Math.min(retry, 30) - 1) * this.#baseMs, max);
    return Math.floor(random() * ceiling);
  }
}
