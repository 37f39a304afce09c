import { describe, expect, it } from 'vitest';
import { seededRandom } from '../__support__/resources.js';
import { WeightedPick } from './weighted-pick.js';

describe('WeightedPick', () => {
  it('converges to the weights (90/10 over 10,000 picks, seeded)', () => {
    const pick = new WeightedPick([
      { value: 'v1', weight: 90 },
      { value: 'v2', weight: 10 },
    ]);
    const random = seededRandom(42);
    const counts = { v1: 0, v2: 0 };
    for (let i = 0; i < 10_000; i++) counts[pick.pick(random) as 'v1' | 'v2']++;
    expect(counts.v2 / 10_000).toBeGreaterThan(0.09);
    expect(counts.v2 / 10_000).toBeLessThan(0.11);
  });

  it('never picks a zero weight', () => {
    const pick = new WeightedPick([
      { value: 'a', weight: 0 },
      { value: 'b', weight: 100 },
    ]);
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) expect(pick.pick(random)).toBe('b');
    expect(pick.pick(() => 0)).toBe('b');
  });
});
