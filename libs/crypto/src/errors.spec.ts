import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const at = new Date('2030-01-01T00:00:00Z');
const before = new Date('2029-01-01T00:00:00Z');
const after = new Date('2031-01-01T00:00:00Z');

/** One row per error class: how to make one, its stable code, and what the message must name. */
const TABLE: ReadonlyArray<readonly [AmbitError, string, RegExp]> = [
  [new errors.InvalidSpiffeIdError('spiffe://x/ns/A/sa/b', 'namespace', 'is bad'), 'AMBIT_ERR_CRYPTO_SPIFFE_ID', /namespace is bad/],
  [new errors.PemError('CSR', 'no block'), 'AMBIT_ERR_CRYPTO_PEM', /CSR is not usable PEM: no block/],
  [new errors.InvalidKeyError('ca-key.pem', new Error('x')), 'AMBIT_ERR_CRYPTO_KEY', /ca-key\.pem cannot be loaded/],
  [new errors.UnsupportedKeyError('CSR public key', 'a RSA 1024-bit key'), 'AMBIT_ERR_CRYPTO_UNSUPPORTED_KEY', /RSA 1024-bit/],
  [new errors.UnsupportedAlgorithmError('CSR', '1.2.840.113549.1.1.5'), 'AMBIT_ERR_CRYPTO_UNSUPPORTED_ALGORITHM', /1\.2\.840\.113549\.1\.1\.5/],
  [new errors.CsrTooLargeError(9000, 8192), 'AMBIT_ERR_CRYPTO_CSR_TOO_LARGE', /9000 bytes exceeds the limit of 8192/],
  [new errors.MalformedCsrError('DER is truncated'), 'AMBIT_ERR_CRYPTO_CSR_MALFORMED', /DER is truncated/],
  [new errors.CsrSignatureError(), 'AMBIT_ERR_CRYPTO_CSR_SIGNATURE', /does not verify/],
  [new errors.CsrIdentityError('spiffe://td/ns/a/sa/b', 'it asks for DNS:x'), 'AMBIT_ERR_CRYPTO_CSR_IDENTITY', /spiffe:\/\/td\/ns\/a\/sa\/b: it asks for DNS:x/],
  [new errors.ForeignTrustDomainError('spiffe://other/ns/a/sa/b', 'cluster.local'), 'AMBIT_ERR_CRYPTO_TRUST_DOMAIN', /"cluster\.local"/],
  [new errors.InvalidOptionError('ttlMs', -1, 'must be positive'), 'AMBIT_ERR_CRYPTO_OPTION', /option ttlMs = -1 is invalid/],
  [new errors.MalformedCertificateError('ca-cert.pem', 'DER is truncated'), 'AMBIT_ERR_CRYPTO_CERT_MALFORMED', /ca-cert\.pem .*DER is truncated/],
  [new errors.CaFilesError('/x/ca-key.pem', 'is missing'), 'AMBIT_ERR_CRYPTO_CA_FILES', /\/x\/ca-key\.pem: is missing/],
  [new errors.CaKeyMismatchError('ca-key.pem', 'ca-cert.pem'), 'AMBIT_ERR_CRYPTO_KEY_MISMATCH', /ca-key\.pem does not belong to .*ca-cert\.pem/],
  [new errors.InvalidCaCertificateError('ca-cert.pem', 'not a CA'), 'AMBIT_ERR_CRYPTO_CA_CERT', /ca-cert\.pem cannot be used as a CA: not a CA/],
  [new errors.UntrustedChainError('no anchor'), 'AMBIT_ERR_CRYPTO_CHAIN_UNTRUSTED', /not trusted: no anchor/],
  [new errors.CertificateValidityError('the leaf', before, at, after), 'AMBIT_ERR_CRYPTO_CERT_VALIDITY', /the leaf expired at 2030/],
  [new errors.PeerIdentityError('no URI'), 'AMBIT_ERR_CRYPTO_PEER_IDENTITY', /no usable SPIFFE identity: no URI/],
  [new errors.UnexpectedPeerIdentityError('spiffe://td/ns/a/sa/b', ['spiffe://td/ns/a/sa/c']), 'AMBIT_ERR_CRYPTO_IDENTITY_MISMATCH', /expected spiffe:\/\/td\/ns\/a\/sa\/c/],
];

describe('crypto errors', () => {
  it.each(TABLE.map(([error, code, message]) => [error.name, error, code, message] as const))('%s has its code and message', (_name, error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.describe()).toContain(error.message);
  });

  it('covers every error class, each with its own code', () => {
    const classes = Object.values(errors).filter((value) => typeof value === 'function');
    const covered = new Set(TABLE.map(([error]) => error.constructor));
    expect(classes.filter((cls) => !covered.has(cls as never)).map((cls) => cls.name)).toEqual([]);
    const codes = TABLE.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^AMBIT_ERR_CRYPTO_[A-Z_]+$/);
  });

  it('says whether a certificate is not yet valid or expired', () => {
    expect(new errors.CertificateValidityError('c', at, after, before).message).toMatch(/is not valid before 2030/);
  });

  it('bounds hostile input in messages', () => {
    const error = new errors.InvalidSpiffeIdError(`spiffe://${'a'.repeat(5000)}`, 'trust domain', 'is too long');
    expect(error.message.length).toBeLessThan(400);
  });

  it('describes an empty allow-list', () => {
    expect(new errors.UnexpectedPeerIdentityError('spiffe://td/ns/a/sa/b', []).message).toMatch(/no identity is allowed/);
  });
});
