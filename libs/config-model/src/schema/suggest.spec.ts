import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from './suggest.js';

describe('nearest', () => {
  const fields = ['hosts', 'gateways', 'http', 'tls', 'tcp', 'exportTo'];

  it.each([
    ['htp', 'http'],
    ['host', 'hosts'],
    ['gatways', 'gateways'],
    ['exportto', 'exportTo'],
    ['HTTP', 'http'],
    ['tsl', 'tls'],
  ])('suggests %s → %s', (input, expected) => {
    expect(nearest(input, fields)).toBe(expected);
  });

  it('suggests nothing when nothing is close', () => {
    expect(nearest('completelyDifferent', fields)).toBeUndefined();
    expect(didYouMean('zzzz', fields)).toBeUndefined();
  });

  it('phrases the hint', () => {
    expect(didYouMean('htp', fields)).toBe('did you mean "http"?');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'abcd')).toBe(1);
    expect(editDistance('abc', 'ab')).toBe(1);
    expect(editDistance('abc', 'abd')).toBe(1);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
