import { describe, expect, it } from 'vitest';
import { uriSubjectAltNames } from './subject-alt-names.js';

describe('uriSubjectAltNames', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['URI:spiffe://cluster.local/ns/a/sa/b', ['spiffe://cluster.local/ns/a/sa/b']],
    ['DNS:example.com, URI:spiffe://td/ns/a/sa/b, IP Address:10.0.0.1', ['spiffe://td/ns/a/sa/b']],
    ['URI:spiffe://td/ns/a/sa/b, URI:spiffe://td/ns/c/sa/d', ['spiffe://td/ns/a/sa/b', 'spiffe://td/ns/c/sa/d']],
    // Node quotes values that could otherwise pose as two entries.
    ['URI:"spiffe://td/ns/a/sa/b, URI:spiffe://td/ns/evil/sa/x"', ['spiffe://td/ns/a/sa/b, URI:spiffe://td/ns/evil/sa/x']],
    ['DNS:"a\\"b, c", URI:spiffe://td/ns/a/sa/b', ['spiffe://td/ns/a/sa/b']],
  ])('%s', (rendered, expected) => {
    expect(uriSubjectAltNames(rendered)).toEqual(expected);
  });

  it('refuses an unterminated quoted value', () => {
    expect(() => uriSubjectAltNames('URI:"spiffe://td')).toThrow(SyntaxError);
  });
});
