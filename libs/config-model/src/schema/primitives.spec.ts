import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64DecodedLength } from './primitives.js';

describe('base64DecodedLength (Go StdEncoding, as Kubernetes decodes Secret data)', () => {
  it('accepts every standard encoding, with or without line breaks, and knows its length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(80), (bytes, wrap) => {
        const encoded = Buffer.from(bytes).toString('base64');
        const wrapped = wrap === 0 ? encoded : (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\n');
        expect(base64DecodedLength(wrapped)).toBe(bytes.length);
      }),
    );
  });
  it('refuses URL-safe characters, missing padding and plain text', () => {
    expect(base64DecodedLength('a-b_')).toMatch(/only A-Z/);
    expect(base64DecodedLength('YWJjZA')).toMatch(/multiple of 4/);
    expect(base64DecodedLength('hello world')).toMatch(/only A-Z/);
    expect(base64DecodedLength('')).toBe(0);
  });
});
