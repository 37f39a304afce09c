import { l7V1 } from '@ambit/xds';
import type { Endpoint } from '../engine/types.js';
import { Maglev, RingHash, type HashTable } from './consistent-hash.js';

/** What a pick may use beyond the candidates. */
export interface PickContext {
  /** The request's hash for CONSISTENT_HASH; undefined when the request has no key (a random pick, as Envoy). */
  readonly hash: number | undefined;
  readonly random: () => number;
  /** Active requests per endpoint uid, for LEAST_REQUEST. */
  readonly active: (uid: string) => number;
}

/** Chooses one of `candidates` (non-empty, already filtered by health, ejection and retry host predicate). */
export interface LoadBalancer {
  pick(candidates: readonly Endpoint[], context: PickContext): Endpoint;
}

export function createLoadBalancer(policy: l7V1.LoadBalancer | null): LoadBalancer {
  switch (policy?.algorithm ?? l7V1.LoadBalancer_Algorithm.LEAST_REQUEST) {
    case l7V1.LoadBalancer_Algorithm.ROUND_ROBIN:
      return new RoundRobin();
    case l7V1.LoadBalancer_Algorithm.RANDOM:
      return RANDOM;
    case l7V1.LoadBalancer_Algorithm.CONSISTENT_HASH:
      return new ConsistentHashBalancer(policy?.consistentHash ?? null);
    default:
      // LEAST_REQUEST is Istio's default; PASSTHROUGH (send to the original destination)
      // has no meaning once a waypoint or gateway has chosen a service, so it balances too.
      return LEAST_REQUEST;
  }
}

class RoundRobin implements LoadBalancer {
  #next = -1;

  pick(candidates: readonly Endpoint[], context: PickContext): Endpoint {
    // Envoy starts each round-robin balancer at a random offset, so that proxies do not all hit the first endpoint together.
    if (this.#next < 0) this.#next = Math.floor(context.random() * candidates.length);
    const endpoint = candidates[this.#next % candidates.length]!;
    this.#next = (this.#next + 1) % 0x7fffffff;
    return endpoint;
  }
}

const RANDOM: LoadBalancer = {
  pick: (candidates, context) => candidates[Math.floor(context.random() * candidates.length)]!,
};

/** Envoy's least_request with equal weights: the fewer active requests of two random choices ("power of two choices"). */
const LEAST_REQUEST: LoadBalancer = {
  pick(candidates, context) {
    if (candidates.length === 1) return candidates[0]!;
    const first = candidates[Math.floor(context.random() * candidates.length)]!;
    const second = candidates[Math.floor(context.random() * candidates.length)]!;
    return context.active(second.uid) < context.active(first.uid) ? second : first;
  },
};

class ConsistentHashBalancer implements LoadBalancer {
  readonly #policy: l7V1.ConsistentHash | null;
  #table: { readonly key: string; readonly table: HashTable } | undefined;

  constructor(policy: l7V1.ConsistentHash | null) {
    this.#policy = policy;
  }

  pick(candidates: readonly Endpoint[], context: PickContext): Endpoint {
    if (context.hash === undefined) return RANDOM.pick(candidates, context);
    return this.#tableFor(candidates).pick(context.hash);
  }

  /** Rebuilt only when the candidate set changes (an endpoint comes, goes, is ejected or returns). */
  #tableFor(candidates: readonly Endpoint[]): HashTable {
    const key = candidates.map((e) => e.uid).sort().join('\n');
    if (this.#table?.key !== key) {
      const maglevSize = this.#policy?.maglevTableSize ?? 0;
      const table = maglevSize > 0 ? new Maglev(candidates, maglevSize) : new RingHash(candidates, this.#policy?.minimumRingSize ?? 0);
      this.#table = { key, table };
    }
    return this.#table.table;
  }
}
