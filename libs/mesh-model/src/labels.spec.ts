import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, nonEmpty, selects } from './labels.js';

describe('selects', () => {
  it('needs every selector label with the same value', () => {
    expect(selects({ app: 'a' }, { app: 'a', version: 'v1' })).toBe(true);
    expect(selects({ app: 'a', version: 'v2' }, { app: 'a', version: 'v1' })).toBe(false);
    expect(selects({ app: 'a' }, {})).toBe(false);
    expect(selects({}, { app: 'a' })).toBe(true);
  });

  it('treats no labels as no selector', () => {
    expect(nonEmpty({})).toBeUndefined();
    expect(nonEmpty(undefined)).toBeUndefined();
    expect(nonEmpty({ a: 'b' })).toEqual({ a: 'b' });
  });
});

describe('matchesLabelSelector', () => {
  const labels = { team: 'blue', tier: 'web' };
  it.each([
    [{}, true],
    [{ matchLabels: { team: 'blue' } }, true],
    [{ matchLabels: { team: 'red' } }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['blue', 'red'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn' as const, values: ['blue'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn' as const, values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' as const }] }, false],
    [{ matchLabels: { team: 'blue' }, matchExpressions: [{ key: 'zone', operator: 'Exists' as const }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });
});
