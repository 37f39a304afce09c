import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJwks, checkJwksUri, checkStrictHeaderName } from './jwt-rules.js';

describe('checkJwksUri', () => {
  it.each(['https://example.com/.well-known/jwks.json', 'http://jwks.foo.svc.cluster.local:8080/keys', 'HTTPS://Example.com/k'])(
    'accepts %s',
    (uri) => expect(checkJwksUri(uri)).toBeUndefined(),
  );
  it.each([
    ['', 'must not be empty'],
    ['ftp://example.com/jwks', 'http or https'],
    ['example.com/jwks', 'http or https'],
    ['https://', 'not a valid URL'],
    [`https://example.com/${'a'.repeat(2048)}`, 'longer than'],
  ])('rejects %j', (uri, message) => expect(checkJwksUri(uri)).toContain(message));

  it('accepts any http(s) URL of a valid host', () => {
    fc.assert(
      fc.property(fc.constantFrom('http', 'https'), fc.domain(), fc.webPath(), (scheme, host, path) => {
        expect(checkJwksUri(`${scheme}://${host}${path}`)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });
});

describe('checkJwks', () => {
  it.each(['{"keys": []}', '{"keys": [{"kty": "RSA", "e": "AQAB", "n": "abc"}]}', '{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}'])(
    'accepts %s',
    (jwks) => expect(checkJwks(jwks)).toBeUndefined(),
  );
  it.each([
    ['', 'not valid JSON'],
    ['[1]', 'must be a JSON object'],
    ['{"keys": {}}', 'must be a list'],
    ['{"keys": [1]}', 'not a JSON object'],
    ['{"keys": [{"kid": "a"}]}', 'no "kty"'],
    ['{"alg": "RS256"}', 'no "kty"'],
  ])('rejects %j', (jwks, message) => expect(checkJwks(jwks)).toContain(message));

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void checkJwks(s)));
    fc.assert(fc.property(fc.json(), (s) => void checkJwks(s)));
  });
});

describe('checkStrictHeaderName', () => {
  it.each(['x-jwt-claim-foo', 'X-User', 'a1'])('accepts %s', (h) => expect(checkStrictHeaderName(h)).toBeUndefined());
  it.each(['', 'x_user', 'x user', ':authority', 'x.y'])('rejects %j', (h) => expect(checkStrictHeaderName(h)).toBeDefined());
});
