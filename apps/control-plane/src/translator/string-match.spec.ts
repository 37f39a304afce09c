import { describe, expect, it } from 'vitest';
import { stringMatch } from './string-match.js';

describe('stringMatch', () => {
  it.each([
    ['*', { matchType: 'presence', presence: true }],
    ['*.example.com', { matchType: 'suffix', suffix: '.example.com' }],
    ['cluster.local/ns/a/*', { matchType: 'prefix', prefix: 'cluster.local/ns/a/' }],
    ['a*b', { matchType: 'exact', exact: 'a*b' }],
    ['**', { matchType: 'suffix', suffix: '*' }],
    ['exact', { matchType: 'exact', exact: 'exact' }],
  ])("reads %j as Istio's stringToMatch does", (pattern, expected) => {
    expect(stringMatch(pattern)).toEqual(expected);
  });
});
