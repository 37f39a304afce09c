import { describe, expect, it } from 'vitest';
import { testIntermediate, testLeaf, testRoot } from '../__support__/pki.js';
import { MalformedCertificateError, PemError } from '../errors.js';
import { encodePem } from '../pem.js';
import { parseCertificate, parseCertificatePems } from './parse.js';

describe('parseCertificate', () => {
  it('reads what the CA and the verifier need', () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    const leaf = testLeaf(intermediate, ['spiffe://td/ns/a/sa/b']);
    const parsed = parseCertificate(leaf.der, 'leaf');
    expect(parsed.isCa).toBe(false);
    expect(parsed.subjectAltNames).toEqual([{ type: 'uri', value: 'spiffe://td/ns/a/sa/b' }]);
    expect(parsed.unhandledCriticalExtensions).toEqual([]);
    expect(parseCertificate(intermediate.der, 'intermediate').keyIdentifier).toEqual(intermediate.issuer.keyIdentifier);
  });

  it('reads every certificate of a PEM bundle', () => {
    const a = testRoot();
    const b = testRoot();
    const parsed = parseCertificatePems(`${a.pem}\n${b.pem}`, 'bundle');
    expect(parsed.map((p) => p.der)).toEqual([a.der, b.der]);
  });

  it.each([
    ['truncated DER', (der: Buffer) => der.subarray(0, der.length - 1)],
    ['trailing bytes', (der: Buffer) => Buffer.concat([der, Buffer.of(0)])],
    ['a lone SEQUENCE', () => Buffer.of(0x30, 0x00)],
    ['random bytes', () => Buffer.from('0123456789abcdef', 'hex')],
    ['an empty input', () => Buffer.alloc(0)],
  ])('refuses %s with a typed error', (_what, corrupt) => {
    const der = corrupt(testRoot().der);
    expect(() => parseCertificate(der, 'ca-cert.pem')).toThrow(MalformedCertificateError);
    expect(() => parseCertificate(der, 'ca-cert.pem')).toThrow(/ca-cert\.pem is not a well-formed X\.509 certificate/);
  });

  it('refuses PEM text without certificates', () => {
    expect(() => parseCertificatePems('nothing here', 'root-cert.pem')).toThrow(PemError);
    expect(() => parseCertificatePems(encodePem(Buffer.of(1, 2, 3), 'CERTIFICATE'), 'root-cert.pem')).toThrow(MalformedCertificateError);
  });
});
