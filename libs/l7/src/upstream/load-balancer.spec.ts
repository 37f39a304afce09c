import { describe, expect, it } from 'vitest';
import { l7V1 } from '@ambit/xds';
import type { Endpoint } from '../engine/types.js';
import { seededRandom } from '../__support__/resources.js';
import { Maglev, RingHash } from './consistent-hash.js';
import { hash32 } from './hash.js';
import { createLoadBalancer, type PickContext } from './load-balancer.js';

const endpoints: Endpoint[] = ['a', 'b', 'c', 'd'].map((uid, i) => ({ uid, ip: `127.0.0.${i + 1}`, port: 80, identity: '', healthy: true }));
const A = l7V1.LoadBalancer_Algorithm;

function context(fields: Partial<PickContext> = {}): PickContext {
  return { hash: undefined, random: seededRandom(9), active: () => 0, ...fields };
}

function counts(pick: () => Endpoint, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const uid = pick().uid;
    out[uid] = (out[uid] ?? 0) + 1;
  }
  return out;
}

describe('load balancers', () => {
  it('ROUND_ROBIN cycles through every endpoint in turn', () => {
    const lb = createLoadBalancer({ algorithm: A.ROUND_ROBIN, consistentHash: null });
    const ctx = context();
    const seen = Array.from({ length: 8 }, () => lb.pick(endpoints, ctx).uid);
    expect(new Set(seen.slice(0, 4)).size).toBe(4);
    expect(seen.slice(4)).toEqual(seen.slice(0, 4));
  });

  it('RANDOM spreads evenly', () => {
    const lb = createLoadBalancer({ algorithm: A.RANDOM, consistentHash: null });
    const ctx = context();
    for (const n of Object.values(counts(() => lb.pick(endpoints, ctx), 8000))) expect(n).toBeGreaterThan(1800);
  });

  it('LEAST_REQUEST (default) prefers the less loaded of two choices', () => {
    const lb = createLoadBalancer(null);
    const busy: Record<string, number> = { a: 10, b: 10, c: 10, d: 0 };
    const picked = counts(() => lb.pick(endpoints, context({ active: (uid) => busy[uid]!, random: seededRandom(5) })), 1);
    expect(picked).toBeDefined();
    const ctx = context({ active: (uid) => busy[uid]! });
    const share = counts(() => lb.pick(endpoints, ctx), 4000).d! / 4000;
    // P(d among two uniform choices) = 1 - (3/4)^2 = 0.4375
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.48);
  });

  it('CONSISTENT_HASH sticks a key to one endpoint and picks randomly without a key', () => {
    const lb = createLoadBalancer({ algorithm: A.CONSISTENT_HASH, consistentHash: { key: 'httpHeaderName', httpHeaderName: 'x-user', minimumRingSize: 0, maglevTableSize: 0 } });
    const first = lb.pick(endpoints, context({ hash: hash32('alice') }));
    for (let i = 0; i < 20; i++) expect(lb.pick([...endpoints].reverse(), context({ hash: hash32('alice') })).uid).toBe(first.uid);
    expect(Object.keys(counts(() => lb.pick(endpoints, context({ random: Math.random })), 200)).length).toBeGreaterThan(1);
  });
});

describe.each([
  ['ring hash', (e: readonly Endpoint[]) => new RingHash(e, 1024)],
  ['maglev', (e: readonly Endpoint[]) => new Maglev(e, 65537)],
])('%s', (_name, build) => {
  it('spreads keys roughly evenly', () => {
    const table = build(endpoints);
    const spread = counts(() => table.pick(hash32(String(Math.random()))), 20_000);
    for (const n of Object.values(spread)) expect(n / 20_000).toBeGreaterThan(0.15);
  });

  // Modulo hashing would move ~75% of the other keys; the ring also re-spreads its points over
  // fewer endpoints (as Envoy's does), so a few percent move between survivors.
  it('moves few keys besides those of a removed endpoint', () => {
    const before = build(endpoints);
    const after = build(endpoints.filter((e) => e.uid !== 'd'));
    let moved = 0;
    for (let i = 0; i < 5000; i++) {
      const h = hash32(`key-${i}`);
      const was = before.pick(h).uid;
      const now = after.pick(h).uid;
      if (was !== 'd' && was !== now) moved++;
    }
    expect(moved / 5000).toBeLessThan(0.15);
  });
});
