import type { l7V1 } from '@ambit/xds';
import type { Clock, Endpoint, TimerHandle, UpstreamConnector } from '../engine/types.js';
import { ConnectionPool, limit } from './connection-pool.js';
import { createLoadBalancer, type LoadBalancer } from './load-balancer.js';
import { OutlierDetector, type Outcome } from './outlier-detector.js';

export interface ClusterRuntimeOptions {
  readonly connector: UpstreamConnector;
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxResponseHeaderSize: number;
  /** Told when outlier detection ejects or returns an endpoint (for logs). */
  readonly onEjection?: (cluster: string, uid: string, ejected: boolean) => void;
}

/** Istio's connection-pool defaults, for a Cluster that arrives without one. */
const DEFAULT_POOL: l7V1.ConnectionPool = {
  maxConnections: 0,
  connectTimeoutMs: 10_000,
  http1MaxPendingRequests: 0,
  http2MaxRequests: 0,
  maxRequestsPerConnection: 0,
  maxRetries: 0,
  idleTimeoutMs: 3_600_000,
};

/**
 * The live state of one Cluster: its load balancer, connection pool, circuit-breaker
 * counters (Envoy's max_requests, max_pending_requests, max_retries) and outlier
 * detector. It outlives xDS updates that leave the Cluster unchanged.
 */
export class ClusterRuntime {
  readonly name: string;
  readonly config: l7V1.Cluster;
  readonly pool: ConnectionPool;
  readonly #lb: LoadBalancer;
  readonly #outlier: OutlierDetector | undefined;
  readonly #options: ClusterRuntimeOptions;
  readonly #maxRequests: number;
  readonly #maxRetries: number;
  readonly #activeByEndpoint = new Map<string, number>();
  #activeRequests = 0;
  #activeRetries = 0;
  #lastEndpoints: readonly Endpoint[] = [];
  #sweep: TimerHandle | undefined;

  constructor(name: string, config: l7V1.Cluster, options: ClusterRuntimeOptions) {
    this.name = name;
    this.config = config;
    this.#options = options;
    const pool = config.connectionPool ?? DEFAULT_POOL;
    this.#maxRequests = limit(pool.http2MaxRequests);
    this.#maxRetries = limit(pool.maxRetries);
    this.pool = new ConnectionPool(
      options.connector,
      {
        maxConnections: pool.maxConnections,
        connectTimeoutMs: pool.connectTimeoutMs > 0 ? pool.connectTimeoutMs : DEFAULT_POOL.connectTimeoutMs,
        maxPendingRequests: pool.http1MaxPendingRequests,
        maxRequestsPerConnection: pool.maxRequestsPerConnection,
        idleTimeoutMs: pool.idleTimeoutMs > 0 ? pool.idleTimeoutMs : DEFAULT_POOL.idleTimeoutMs,
        maxHeaderSize: options.maxResponseHeaderSize,
      },
      options.clock,
    );
    this.#lb = createLoadBalancer(config.loadBalancer);
    if (config.outlierDetection !== null && (config.outlierDetection.consecutiveServerErrors > 0 || config.outlierDetection.consecutiveGatewayErrors > 0)) {
      this.#outlier = new OutlierDetector(config.outlierDetection);
      this.#armSweep();
    }
  }

  get activeRequests(): number {
    return this.#activeRequests;
  }

  /**
   * Picks an endpoint: healthy and not ejected, not one of `exclude` (the hosts earlier
   * tries used, Istio's previous_hosts retry predicate) unless nothing else is left.
   * Below minHealthPercent healthy endpoints, Envoy's panic mode balances across all.
   * Undefined: no healthy upstream (503 UH).
   */
  pick(endpoints: readonly Endpoint[], hash: number | undefined, exclude: ReadonlySet<string>): Endpoint | undefined {
    this.#lastEndpoints = endpoints;
    if (endpoints.length === 0) return undefined;
    const outlier = this.#outlier;
    let candidates = endpoints.filter((e) => e.healthy && (outlier === undefined || !outlier.isEjected(e.uid)));
    const panicBelow = this.config.outlierDetection?.minHealthPercent ?? 0;
    if (panicBelow > 0 && (100 * candidates.length) / endpoints.length < panicBelow) candidates = [...endpoints];
    if (candidates.length === 0) return undefined;
    if (exclude.size > 0) {
      const fresh = candidates.filter((e) => !exclude.has(e.uid));
      if (fresh.length > 0) candidates = fresh;
    }
    return this.#lb.pick(candidates, { hash, random: this.#options.random, active: (uid) => this.#activeByEndpoint.get(uid) ?? 0 });
  }

  /** Envoy's max_requests circuit breaker (Istio's http2MaxRequests, for every protocol): false means overflow. */
  tryBeginRequest(): boolean {
    if (this.#activeRequests >= this.#maxRequests) return false;
    this.#activeRequests++;
    return true;
  }

  endRequest(): void {
    this.#activeRequests--;
  }

  /** Envoy's max_retries circuit breaker: false means the retry is not attempted. */
  tryBeginRetry(): boolean {
    if (this.#activeRetries >= this.#maxRetries) return false;
    this.#activeRetries++;
    return true;
  }

  endRetry(): void {
    this.#activeRetries--;
  }

  /** Counts an attempt in flight on an endpoint (LEAST_REQUEST reads it). */
  beginAttempt(uid: string): void {
    this.#activeByEndpoint.set(uid, (this.#activeByEndpoint.get(uid) ?? 0) + 1);
  }

  endAttempt(uid: string): void {
    const left = (this.#activeByEndpoint.get(uid) ?? 1) - 1;
    if (left === 0) this.#activeByEndpoint.delete(uid);
    else this.#activeByEndpoint.set(uid, left);
  }

  /** Feeds outlier detection with an attempt's outcome. */
  report(uid: string, outcome: Outcome, hostCount: number): void {
    if (this.#outlier?.report(uid, outcome, this.#options.clock.now(), hostCount)) this.#options.onEjection?.(this.name, uid, true);
  }

  /** A newer version of the Cluster replaced this one: connections close once idle; timers stop. */
  retire(): void {
    this.#sweep?.cancel();
    this.#sweep = undefined;
    this.pool.retire();
  }

  close(): void {
    this.#sweep?.cancel();
    this.#sweep = undefined;
    this.pool.close();
  }

  #armSweep(): void {
    const outlier = this.#outlier!;
    this.#sweep = this.#options.clock.setTimer(Math.max(outlier.intervalMs, 1), () => {
      outlier.retain(new Set(this.#lastEndpoints.map((e) => e.uid)));
      for (const uid of outlier.sweep(this.#options.clock.now())) this.#options.onEjection?.(this.name, uid, false);
      this.#armSweep();
    });
  }
}
