import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHeaderToModify, checkHeaderValue, checkMatchHeaderName, checkRequestHeaderToSet, isJwtClaimHeader } from './headers.js';

/** Printable text without '%' (and so without any formatter syntax). */
const plain = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_/.:;"\\()[],'.split('')) });
const variable = fc.stringMatching(/^[A-Z_]{1,12}$/);

describe('checkHeaderValue', () => {
  it('accepts literals, escaped percents and variables', () => {
    for (const ok of ['', 'foo', '100%%', '%HOSTNAME%', 'prefix %HOSTNAME% suffix', '%REQ(x-request-id)%', '%PER_REQUEST_STATE(["a", "b"])%', 'tab\there']) {
      expect(checkHeaderValue(ok), ok).toBeUndefined();
    }
  });

  it('refuses stray percents, unterminated variables and control characters', () => {
    expect(checkHeaderValue('100%')).toContain('unescaped');
    expect(checkHeaderValue('abc%123')).toContain('unterminated');
    expect(checkHeaderValue('%START_TIME%%')).toContain('unescaped');
    expect(checkHeaderValue('%REQ(x-id%')).toContain('unterminated');
    expect(checkHeaderValue('%VAR([x])%')).toContain("expected '\"'");
    expect(checkHeaderValue('%VAR(["x"] y)%')).toContain('expected ")"');
    expect(checkHeaderValue('%VAR(["x" y])%')).toContain('expected ",", "]"');
    expect(checkHeaderValue('line\nbreak')).toContain('control character');
  });

  it('accepts any text without "%" or control characters', () => {
    fc.assert(fc.property(plain, (text) => checkHeaderValue(text) === undefined));
  });

  it('accepts any text once every "%" is doubled', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '%', ' ', 'Z', '(', ')') }), (text) => checkHeaderValue(text.replaceAll('%', '%%')) === undefined));
  });

  it('accepts variables between literal text', () => {
    fc.assert(fc.property(plain, variable, plain, (before, name, after) => checkHeaderValue(`${before}%${name}%${after}`) === undefined));
  });

  it('refuses a text ending in a single unescaped "%"', () => {
    fc.assert(fc.property(plain, (text) => checkHeaderValue(`${text}%`) !== undefined));
  });
});

describe('header names', () => {
  it('recognises JWT claim routing keys', () => {
    expect(isJwtClaimHeader('@request.auth.claims.groups')).toBe(true);
    expect(isJwtClaimHeader('@request.auth.claims.nested.key')).toBe(true);
    expect(isJwtClaimHeader('@request.auth.claims[groups][admin]')).toBe(true);
    expect(isJwtClaimHeader('@request.auth.claims.')).toBe(false);
    expect(isJwtClaimHeader('@request.auth.claims')).toBe(false);
    expect(isJwtClaimHeader('x-user')).toBe(false);
  });

  it('checks match header names', () => {
    expect(checkMatchHeaderName('x-user')).toBeUndefined();
    expect(checkMatchHeaderName(':authority')).toBeUndefined();
    expect(checkMatchHeaderName(':unknown')).toBeDefined();
    expect(checkMatchHeaderName('bad header')).toBeDefined();
    expect(checkMatchHeaderName('')).toBeDefined();
  });

  it('lets requests rewrite the authority but no other pseudo-header', () => {
    expect(checkRequestHeaderToSet(':authority')).toBeUndefined();
    expect(checkRequestHeaderToSet('Host')).toBeUndefined();
    expect(checkRequestHeaderToSet(':path')).toBeDefined();
    expect(checkHeaderToModify('host')).toBeDefined();
    expect(checkHeaderToModify(':status')).toBeDefined();
    expect(checkHeaderToModify('x-envoy-upstream-service-time')).toBeUndefined();
  });
});
