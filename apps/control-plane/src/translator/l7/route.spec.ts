import { describe, expect, it } from 'vitest';
import { mergeMatch } from './delegate.js';
import { weighted } from './route.js';

describe('route weights', () => {
  it.each([
    [[0], [100]],
    [[90, 10], [90, 10]],
    [[1, 1, 1], [34, 33, 33]],
    [[3, 1], [75, 25]],
    [[0, 5], [0, 100]],
  ])('normalises %j to %j', (weights, expected) => {
    expect(weighted(weights)).toEqual(expected);
    expect(weighted(weights).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('delegate match merging', () => {
  it('narrows the parent prefix and unions headers', () => {
    expect(mergeMatch({ uri: { prefix: '/api' }, headers: { a: { exact: '1' } } }, { uri: { prefix: '/api/v1' }, headers: { b: { exact: '2' } } })).toEqual({
      uri: { prefix: '/api/v1' },
      headers: { a: { exact: '1' }, b: { exact: '2' } },
      scheme: undefined,
      method: undefined,
      authority: undefined,
      port: undefined,
      sourceNamespace: undefined,
    });
  });

  it.each([
    ['a child uri outside the parent prefix', { uri: { prefix: '/api' } }, { uri: { exact: '/other' } }],
    ['a parent exact uri the child changes', { uri: { exact: '/a' } }, { uri: { exact: '/b' } }],
    ['two methods', { method: { exact: 'GET' } }, { method: { exact: 'POST' } }],
    ['one header with two values', { headers: { a: { exact: '1' } } }, { headers: { a: { exact: '2' } } }],
  ])('drops %s', (_, parent, child) => {
    expect(mergeMatch(parent, child)).toBeUndefined();
  });
});
