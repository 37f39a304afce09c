import type { Endpoint } from '../engine/types.js';
import { hash32 } from './hash.js';

/** A table from a 32-bit request hash to an endpoint, built for one set of endpoints. */
export interface HashTable {
  pick(hash: number): Endpoint;
}

/** Envoy's ring-hash default minimum ring size. */
export const DEFAULT_RING_SIZE = 1024;
// Envoy caps the ring at 8M entries (and maglev at 5M); a proxy of ours serves far smaller sets.
const MAX_RING_SIZE = 1 << 20;

/**
 * Ring hash (Karger et al.), as Envoy's ring_hash: each endpoint owns
 * ring_size / endpoints points at hash("<uid>_<i>"); a request goes to the first point
 * at or after its hash. Removing an endpoint moves only the requests it held.
 */
export class RingHash implements HashTable {
  readonly #points: Uint32Array;
  readonly #owners: Endpoint[];

  constructor(endpoints: readonly Endpoint[], minimumRingSize: number) {
    const size = Math.min(Math.max(minimumRingSize || DEFAULT_RING_SIZE, endpoints.length), MAX_RING_SIZE);
    const perEndpoint = Math.ceil(size / endpoints.length);
    const entries: { point: number; endpoint: Endpoint }[] = [];
    for (const endpoint of endpoints) {
      for (let i = 0; i < perEndpoint; i++) entries.push({ point: hash32(`${endpoint.uid}_${i}`), endpoint });
    }
    // Ties broken by uid so that the ring does not depend on the order endpoints arrive in.
    entries.sort((a, b) => a.point - b.point || (a.endpoint.uid < b.endpoint.uid ? -1 : 1));
    this.#points = Uint32Array.from(entries, (e) => e.point);
    this.#owners = entries.map((e) => e.endpoint);
  }

  pick(hash: number): Endpoint {
    const points = this.#points;
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (points[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    return this.#owners[low === points.length ? 0 : low]!;
  }
}

/**
 * Maglev (Eisenbud et al. 2016), as Envoy's maglev: a lookup table of prime size filled
 * by each endpoint's permutation in turn; even spread and minimal disruption.
 */
export class Maglev implements HashTable {
  readonly #table: Endpoint[];

  constructor(endpoints: readonly Endpoint[], tableSize: number) {
    const size = nextPrime(Math.min(Math.max(tableSize, endpoints.length), MAX_RING_SIZE));
    // Sorted by uid, so that the table does not depend on the order endpoints arrive in.
    const sorted = [...endpoints].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    const offsets = sorted.map((e) => hash32(`${e.uid}#offset`) % size);
    const skips = sorted.map((e) => (hash32(`${e.uid}#skip`) % (size - 1)) + 1);
    const next = new Array<number>(sorted.length).fill(0);
    const table = new Array<Endpoint | undefined>(size);
    let filled = 0;
    while (filled < size) {
      for (let i = 0; i < sorted.length && filled < size; i++) {
        let slot = (offsets[i]! + next[i]! * skips[i]!) % size;
        while (table[slot] !== undefined) {
          next[i]! += 1;
          slot = (offsets[i]! + next[i]! * skips[i]!) % size;
        }
        table[slot] = sorted[i]!;
        next[i]! += 1;
        filled++;
      }
    }
    this.#table = table as Endpoint[];
  }

  pick(hash: number): Endpoint {
    return this.#table[hash % this.#table.length]!;
  }
}

function nextPrime(n: number): number {
  for (let candidate = Math.max(n, 2); ; candidate++) {
    let prime = true;
    for (let d = 2; d * d <= candidate; d++) {
      if (candidate % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return candidate;
  }
}
