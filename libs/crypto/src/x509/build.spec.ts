import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testRoot } from '../__support__/pki.js';
import { signingAlgorithmFor } from '../algorithms.js';
import { childrenOf, isContext, parseDer, Tag, type Asn1 } from '../der/asn1.js';
import { readExtensions } from '../der/extensions.js';
import { OID } from '../der/oids.js';
import { generateKeyPair } from '../keys.js';
import { EMPTY_NAME, issueCertificate, organizationName, subjectPublicKeyInfo } from './build.js';
import { parseCertificate } from './parse.js';

const URI = 'spiffe://cluster.local/ns/default/sa/reviews';
const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2026-01-02T00:00:00Z');

function extensionsOf(der: Buffer): Map<string, { critical: boolean; value: Buffer }> {
  const tbs = childrenOf(childrenOf(parseDer(der), Tag.SEQUENCE, 'cert')[0], Tag.SEQUENCE, 'tbs');
  const wrapper = tbs.find((node) => isContext(node, 3))!;
  return readExtensions((wrapper.value as Asn1[])[0], 'extensions');
}

function leafFrom(root: ReturnType<typeof testRoot>, subject = EMPTY_NAME): Buffer {
  const { publicKey } = generateKeyPair();
  return issueCertificate(
    { subject, publicKeyInfo: subjectPublicKeyInfo(publicKey), notBefore, notAfter, profile: { kind: 'leaf', uris: [URI] } },
    root.issuer,
  ).der;
}

describe('issueCertificate', () => {
  it('writes the workload leaf profile', () => {
    const root = testRoot();
    const der = leafFrom(root);
    const x509 = new X509Certificate(der);
    expect(x509.verify(root.x509.publicKey)).toBe(true);
    expect(x509.checkIssued(root.x509)).toBe(true);
    expect(x509.ca).toBe(false);
    // Node reports an empty subject as undefined, despite its typings.
    expect(x509.subject as string | undefined).toBeUndefined();
    expect(x509.subjectAltName).toBe(`URI:${URI}`);
    expect(x509.keyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
    const parsed = parseCertificate(der, 'leaf');
    expect(parsed.notBefore).toEqual(notBefore);
    expect(parsed.notAfter).toEqual(notAfter);
    const extensions = extensionsOf(der);
    expect([...extensions.keys()]).toEqual([
      OID.keyUsage,
      OID.extKeyUsage,
      OID.basicConstraints,
      OID.subjectKeyIdentifier,
      OID.authorityKeyIdentifier,
      OID.subjectAltName,
    ]);
    expect(extensions.get(OID.subjectAltName)!.critical).toBe(true);
    expect(extensions.get(OID.keyUsage)!.critical).toBe(true);
    expect(extensions.get(OID.basicConstraints)!.critical).toBe(true);
    expect(extensions.get(OID.extKeyUsage)!.critical).toBe(false);
  });

  it('links the leaf to its issuer by key identifier', () => {
    const root = testRoot();
    const aki = extensionsOf(leafFrom(root)).get(OID.authorityKeyIdentifier)!.value;
    expect(aki.subarray(aki.length - 20)).toEqual(root.issuer.keyIdentifier);
  });

  it('makes the SAN non-critical when the subject names the holder', () => {
    const der = leafFrom(testRoot(), organizationName('holder'));
    expect(extensionsOf(der).get(OID.subjectAltName)!.critical).toBe(false);
    expect(new X509Certificate(der).subject).toBe('O=holder');
  });

  it('writes self-signed CAs without an authorityKeyIdentifier', () => {
    const root = testRoot({ name: 'cluster.local' });
    const extensions = extensionsOf(root.der);
    expect([...extensions.keys()]).toEqual([OID.keyUsage, OID.basicConstraints, OID.subjectKeyIdentifier]);
    expect(root.x509.ca).toBe(true);
    expect(root.x509.subject).toBe('O=cluster.local');
    const parsed = parseCertificate(root.der, 'root');
    expect(parsed.isCa).toBe(true);
    expect(parsed.mayIssueCertificates).toBe(true);
    expect(parsed.pathLength).toBeUndefined();
  });

  it('signs with sha256WithRSAEncryption under an RSA issuer', () => {
    const root = testRoot({ key: 'rsa' });
    const der = leafFrom(root);
    expect(new X509Certificate(der).verify(root.x509.publicKey)).toBe(true);
    expect(root.issuer.algorithm.hash).toBe('sha256');
    expect(der.includes(Buffer.from('2a864886f70d01010b', 'hex'))).toBe(true);
  });

  it('signs with ecdsa-with-SHA384 under a P-384 issuer', () => {
    const root = testRoot({ key: 'p384' });
    expect(new X509Certificate(leafFrom(root)).verify(root.x509.publicKey)).toBe(true);
    expect(root.issuer.algorithm).toEqual(signingAlgorithmFor(root.privateKey, 'x'));
    expect(root.issuer.algorithm.hash).toBe('sha384');
  });

  it('uses GeneralizedTime from 2050 on', () => {
    const root = testRoot({ notBefore: new Date('2049-12-31T23:59:59Z'), notAfter: new Date('2051-06-01T12:00:00Z') });
    const parsed = parseCertificate(root.der, 'root');
    expect(parsed.notBefore.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2051-06-01T12:00:00.000Z');
    expect(root.der.includes(Buffer.from('20510601120000Z', 'latin1'))).toBe(true);
    expect(root.der.includes(Buffer.from('491231235959Z', 'latin1'))).toBe(true);
  });

  it('draws positive 128-bit serial numbers', () => {
    const root = testRoot();
    const serials = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const serial = new X509Certificate(leafFrom(root)).serialNumber;
      expect(serial.length).toBeLessThanOrEqual(34);
      serials.add(serial);
    }
    expect(serials.size).toBe(50);
  });
});
