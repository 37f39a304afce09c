import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrime } from './load-balancer.js';

function slowIsPrime(n: number): boolean {
  if (n < 2) return false;
  for (let f = 2; f < n; f++) if (n % f === 0) return false;
  return true;
}

describe('isPrime', () => {
  it('knows the Maglev table sizes Envoy suggests', () => {
    expect(isPrime(65537)).toBe(true);
    expect(isPrime(5000011)).toBe(true);
    expect(isPrime(65536)).toBe(false);
    expect(isPrime(1)).toBe(false);
    expect(isPrime(2)).toBe(true);
  });

  it('agrees with trial division', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), (n) => isPrime(n) === slowIsPrime(n)));
  });
});
