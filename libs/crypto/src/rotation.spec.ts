import { describe, expect, it } from 'vitest';
import { testLeaf, testRoot } from './__support__/pki.js';
import { needsRenewal, renewalTime } from './rotation.js';

describe('rotation', () => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2026-01-02T00:00:00Z');
  const half = new Date('2026-01-01T12:00:00Z');

  it('renews at half the lifetime', () => {
    expect(renewalTime({ notBefore, notAfter })).toEqual(half);
    expect(needsRenewal({ notBefore, notAfter }, new Date(half.getTime() - 1))).toBe(false);
    expect(needsRenewal({ notBefore, notAfter }, half)).toBe(true);
    expect(needsRenewal({ notBefore, notAfter }, new Date('2026-03-01T00:00:00Z'))).toBe(true);
  });

  it('reads the dates from a certificate, as X509Certificate or PEM', () => {
    const leaf = testLeaf(testRoot(), ['spiffe://td/ns/a/sa/b'], { notBefore, notAfter });
    expect(renewalTime(leaf.x509)).toEqual(half);
    expect(renewalTime(leaf.pem)).toEqual(half);
    expect(needsRenewal(leaf.pem)).toBe(true);
  });
});
