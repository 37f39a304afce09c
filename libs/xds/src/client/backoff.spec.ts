import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('draws each delay from the upper half of a doubling step, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 100 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 40 }), (initialMs, factor, draws) => {
        const maxMs = initialMs * factor;
        let i = 0;
        const backoff = new Backoff(initialMs, maxMs, () => draws[i] ?? 0);
        for (; i < draws.length; i++) {
          const step = Math.min(maxMs, initialMs * 2 ** i);
          const delay = backoff.next();
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(step);
        }
      }),
    );
  });

  it('starts over after reset', () => {
    const backoff = new Backoff(100, 10_000, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
