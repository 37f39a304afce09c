import type { Endpoint, LocalityScope, Service, Workload } from '../state/index.js';

/** An endpoint that may take the connection, with its workload. */
export interface Candidate {
  readonly endpoint: Endpoint;
  readonly workload: Workload;
}

/** Picks one of a service's candidates; the candidates are never empty. */
export interface EndpointPicker {
  pick(service: Service, candidates: readonly Candidate[]): Candidate;
}

/**
 * Round robin per service, so that consecutive connections spread evenly (ztunnel picks
 * at random; an even spread is easier to reason about and to test). The counter lives
 * as long as the Service object: an update to the service starts it again, and removed
 * services leave nothing behind.
 */
export class RoundRobinPicker implements EndpointPicker {
  readonly #next = new WeakMap<Service, number>();

  pick(service: Service, candidates: readonly Candidate[]): Candidate {
    const turn = this.#next.get(service) ?? 0;
    this.#next.set(service, (turn + 1) % 0x7fffffff);
    return candidates[turn % candidates.length]!;
  }
}

const MATCHES: Readonly<Record<LocalityScope, (a: Workload, b: Workload) => boolean>> = {
  Region: (a, b) => a.locality.region === b.locality.region,
  Zone: (a, b) => a.locality.zone === b.locality.zone,
  Subzone: (a, b) => a.locality.subzone === b.locality.subzone,
  Node: (a, b) => a.node === b.node,
  Cluster: (a, b) => a.clusterId === b.clusterId,
  Network: (a, b) => a.network === b.network,
};

/**
 * The candidates a service's load-balancing preference allows, as ztunnel ranks them:
 * an endpoint's rank is how many preferences it matches in order (stopping at the first
 * mismatch); Strict keeps only endpoints matching all, Failover keeps the best rank,
 * Standard keeps everyone.
 */
export function preferredCandidates(service: Service, source: Workload, candidates: readonly Candidate[]): readonly Candidate[] {
  const lb = service.loadBalancer;
  if (lb === undefined || lb.mode === 'Standard' || candidates.length === 0) return candidates;
  const ranked = candidates.map((candidate) => {
    let rank = 0;
    for (const scope of lb.routingPreferences) {
      if (!MATCHES[scope](source, candidate.workload)) break;
      rank += 1;
    }
    return { candidate, rank };
  });
  const eligible = lb.mode === 'Strict' ? ranked.filter((r) => r.rank === lb.routingPreferences.length) : ranked;
  const best = Math.max(-1, ...eligible.map((r) => r.rank));
  return eligible.filter((r) => r.rank === best).map((r) => r.candidate);
}
