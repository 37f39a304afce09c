import type { l7V1 } from '@ambit/xds';

/** What one upstream attempt told the detector: a status, or a failure of ours to get one (connect failure, reset, timeout). */
export type Outcome = { readonly status: number } | { readonly localFailure: true };

interface HostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  /** Envoy's eject-time backoff: ejection time is base × this, it grows per ejection and decays while healthy. */
  backoff: number;
  ejectedAt: number | undefined;
  /** When the host last returned, for the backoff decay. */
  returnedAt: number | undefined;
}

/** Envoy's default cap of an ejection (max_ejection_time). */
const MAX_EJECTION_MS = 300_000;

/**
 * Envoy's outlier detector for one cluster (consecutive 5xx and consecutive gateway
 * failures): a host is ejected the moment it reaches a threshold, unless that would
 * put more than max_ejection_percent of the hosts out; an interval sweep returns hosts
 * whose ejection (base × backoff, capped at 300 s) has passed and decays the backoff of
 * hosts that stayed healthy. Local failures (connect failure, reset, timeout) count as
 * 5xx and gateway errors, as Envoy does without split_external_local_origin_errors.
 */
export class OutlierDetector {
  readonly #config: l7V1.OutlierDetection;
  readonly #hosts = new Map<string, HostState>();
  #ejected = 0;

  constructor(config: l7V1.OutlierDetection) {
    this.#config = config;
  }

  get intervalMs(): number {
    return this.#config.intervalMs;
  }

  isEjected(uid: string): boolean {
    return this.#hosts.get(uid)?.ejectedAt !== undefined;
  }

  /**
   * Records an outcome of `uid` at `now`; `hostCount` is the cluster's endpoint count
   * (for max_ejection_percent). Returns true when this outcome ejected the host.
   */
  report(uid: string, outcome: Outcome, now: number, hostCount: number): boolean {
    const host = this.#state(uid);
    if (host.ejectedAt !== undefined) return false;
    const status = 'status' in outcome ? outcome.status : 503;
    const local = 'localFailure' in outcome;
    if (status >= 500 || local) host.consecutive5xx++;
    else host.consecutive5xx = 0;
    if (local || status === 502 || status === 503 || status === 504) host.consecutiveGateway++;
    else host.consecutiveGateway = 0;
    const { consecutiveServerErrors, consecutiveGatewayErrors } = this.#config;
    const tripped =
      (consecutiveServerErrors > 0 && host.consecutive5xx >= consecutiveServerErrors) ||
      (consecutiveGatewayErrors > 0 && host.consecutiveGateway >= consecutiveGatewayErrors);
    if (!tripped) return false;
    // Envoy: eject only when the hosts ejected, this one included, stay within the percentage.
    if (hostCount <= 0 || (100 * (this.#ejected + 1)) / hostCount > this.#config.maxEjectionPercent) return false;
    host.ejectedAt = now;
    host.backoff++;
    this.#ejected++;
    return true;
  }

  /** The interval timer's work: returns hosts whose ejection time has passed; the uids returned. */
  sweep(now: number): string[] {
    const returned: string[] = [];
    const base = this.#config.baseEjectionTimeMs;
    for (const [uid, host] of this.#hosts) {
      if (host.ejectedAt === undefined) {
        // Healthy for a whole ejection period since it returned: one step of backoff is forgiven.
        if (host.backoff > 0 && host.returnedAt !== undefined && now - host.returnedAt >= base * host.backoff) {
          host.backoff--;
          host.returnedAt = now;
        }
        continue;
      }
      if (now - host.ejectedAt >= Math.min(base * host.backoff, Math.max(base, MAX_EJECTION_MS))) {
        host.ejectedAt = undefined;
        host.returnedAt = now;
        host.consecutive5xx = 0;
        host.consecutiveGateway = 0;
        this.#ejected--;
        returned.push(uid);
      }
    }
    return returned;
  }

  /** Forgets hosts that left the cluster (their ejection with them). */
  retain(uids: ReadonlySet<string>): void {
    for (const [uid, host] of this.#hosts) {
      if (uids.has(uid)) continue;
      if (host.ejectedAt !== undefined) this.#ejected--;
      this.#hosts.delete(uid);
    }
  }

  #state(uid: string): HostState {
    let host = this.#hosts.get(uid);
    if (host === undefined) {
      host = { consecutive5xx: 0, consecutiveGateway: 0, backoff: 0, ejectedAt: undefined, returnedAt: undefined };
      this.#hosts.set(uid, host);
    }
    return host;
  }
}
