import type { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { exact, prefix, presence, suffix } from '../__support__/policies.js';
import { StringMatchers } from './string-matchers.js';

function compile(...matches: securityV1.StringMatch[]): StringMatchers {
  return StringMatchers.compile(matches, (index, problem) => {
    throw new Error(`[${index}]: ${problem}`);
  });
}

const URI = 'spiffe://cluster.local/ns/ops/sa/backup';
const FROM = 'spiffe://'.length;

describe('StringMatchers', () => {
  // ztunnel's string_match cases (src/rbac.rs), and the same through a principal offset.
  it.each([
    [exact('foo'), 'foo', true],
    [exact('foo'), 'not', false],
    [exact('foo'), '', false],
    [exact('foo'), 'foobar', false],
    [prefix('foo'), 'foobar', true],
    [prefix('foo'), 'notfoo', false],
    [prefix('foo'), '', false],
    [suffix('foo'), 'barfoo', true],
    [suffix('foo'), 'foonot', false],
    [suffix('foo'), '', false],
    [presence, 'foo', true],
    [presence, '', false],
  ])('%o on %j: %s', (m, value, expected) => {
    expect(compile(m).matches(value, 0)).toBe(expected);
    expect(compile(m).matches(`spiffe://${value}`, FROM)).toBe(expected);
  });

  it.each([
    [exact('cluster.local/ns/ops/sa/backup'), true],
    [exact('spiffe://cluster.local/ns/ops/sa/backup'), false],
    [prefix('cluster.local/ns/ops/'), true],
    [prefix('spiffe://'), false],
    [suffix('/sa/backup'), true],
    [suffix('/ns/ops/sa/backup'), true],
    [suffix('spiffe://cluster.local/ns/ops/sa/backup'), false],
    [suffix('//cluster.local/ns/ops/sa/backup'), false],
    [presence, true],
  ])('principal form %o on %s: %s (compared without spiffe://, as Istio writes principals)', (m, expected) => {
    expect(compile(m).matches(URI, FROM)).toBe(expected);
  });

  it('matches nothing, not even presence, without a value (offset -1: no identity)', () => {
    expect(compile(presence, prefix(''), suffix(''), exact('')).matches('', -1)).toBe(false);
  });

  it('ORs its matches', () => {
    const m = compile(exact('a'), prefix('team-'), suffix('-prod'));
    expect(['a', 'team-x', 'x-prod', 'b'].map((v) => m.matches(v, 0))).toEqual([true, true, true, false]);
  });

  it('reads presence by the oneof member, as ztunnel does, even when its value is false', () => {
    expect(compile({ matchType: 'presence', presence: false }).matches('x', 0)).toBe(true);
  });

  it('refuses a match without a type', () => {
    expect(() => compile(exact('a'), {})).toThrow('[1]: has no match type (exact, prefix, suffix or presence)');
  });
});
