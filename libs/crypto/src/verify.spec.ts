import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testIntermediate, testLeaf, testRoot, type TestCert } from './__support__/pki.js';
import { CertificateAuthority } from './ca.js';
import { createCsr } from './csr.js';
import {
  CertificateValidityError,
  InvalidCaCertificateError,
  MalformedCertificateError,
  PeerIdentityError,
  UnexpectedPeerIdentityError,
  UntrustedChainError,
} from './errors.js';
import { generateKeyPair } from './keys.js';
import { SpiffeId } from './spiffe.js';
import { TrustBundle } from './trust-bundle.js';
import { verifyPeerChain } from './verify.js';

const ID = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/reviews');
const OTHER = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/ratings');
const HOUR = 3600 * 1000;
const x509 = (...certs: TestCert[]): X509Certificate[] => certs.map((c) => c.x509);

describe('verifyPeerChain', () => {
  const root = testRoot({ name: 'cluster.local' });
  const bundle = TrustBundle.fromPem([root.pem]);
  const leaf = testLeaf(root, [ID.toString()]);

  it('returns the identity of a leaf issued by the bundle', () => {
    const peer = verifyPeerChain(x509(leaf), { trustBundle: bundle });
    expect(peer.identity.equals(ID)).toBe(true);
    expect(peer.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('verifies chains from the CA as it returns them, root included or not', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const signed = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    const trustBundle = TrustBundle.fromPem(ca.trustBundle());
    const chain = signed.certChain.map((pem) => new X509Certificate(pem));
    expect(verifyPeerChain(chain, { trustBundle }).identity.equals(ID)).toBe(true);
    expect(verifyPeerChain(chain.slice(0, 1), { trustBundle }).identity.equals(ID)).toBe(true);
    expect(verifyPeerChain([Buffer.from(chain[0]!.raw)], { trustBundle }).identity.equals(ID)).toBe(true);
  });

  it('verifies through intermediates', () => {
    const upper = testIntermediate(root, { name: 'upper' });
    const lower = testIntermediate(upper, { name: 'lower' });
    const deep = testLeaf(lower, [ID.toString()]);
    expect(verifyPeerChain(x509(deep, lower, upper), { trustBundle: bundle }).identity.equals(ID)).toBe(true);
    expect(verifyPeerChain(x509(deep, lower, upper, root), { trustBundle: bundle }).identity.equals(ID)).toBe(true);
    expect(() => verifyPeerChain(x509(deep, lower), { trustBundle: bundle })).toThrow(/chain certificate 2 \(issuer "O=upper"\) is not issued by the trust bundle/);
    expect(() => verifyPeerChain(x509(deep, upper, lower), { trustBundle: bundle })).toThrow(/the leaf certificate is not signed by chain certificate 2/);
  });

  it('checks the identity against the allowed ones', () => {
    expect(verifyPeerChain(x509(leaf), { trustBundle: bundle, allowedIdentities: [OTHER, ID] }).identity.equals(ID)).toBe(true);
    expect(() => verifyPeerChain(x509(leaf), { trustBundle: bundle, allowedIdentities: [OTHER] })).toThrow(UnexpectedPeerIdentityError);
    expect(() => verifyPeerChain(x509(leaf), { trustBundle: bundle, allowedIdentities: [] })).toThrow(/no identity is allowed/);
  });

  it('refuses a leaf from another CA, even one that borrows the root\'s name', () => {
    for (const rogue of [testRoot({ name: 'rogue' }), testRoot({ name: 'cluster.local' })]) {
      const forged = testLeaf(rogue, [ID.toString()]);
      expect(() => verifyPeerChain(x509(forged), { trustBundle: bundle })).toThrow(UntrustedChainError);
      expect(() => verifyPeerChain(x509(forged, rogue), { trustBundle: bundle })).toThrow(UntrustedChainError);
    }
  });

  it('refuses chains whose issuers are not CAs', () => {
    const notCa = testLeaf(root, ['spiffe://cluster.local/ns/a/sa/b']);
    const below = testLeaf(notCa, [ID.toString()]);
    expect(() => verifyPeerChain(x509(below, notCa), { trustBundle: bundle })).toThrow(/chain certificate 2 is not a CA certificate/);
    expect(() => verifyPeerChain(x509(root), { trustBundle: bundle })).toThrow(/the leaf certificate is a CA certificate/);
  });

  it('checks validity periods at the given time, anchors included', () => {
    expect(() => verifyPeerChain(x509(leaf), { trustBundle: bundle, at: new Date(Date.now() + 48 * HOUR) })).toThrow(CertificateValidityError);
    expect(() => verifyPeerChain(x509(leaf), { trustBundle: bundle, at: new Date(Date.now() - 2 * HOUR) })).toThrow(/is not valid before/);
    const shortRoot = testRoot({ notAfter: new Date(Date.now() + HOUR) });
    const longLeaf = testLeaf(shortRoot, [ID.toString()], { notAfter: new Date(Date.now() + 10 * HOUR) });
    expect(() =>
      verifyPeerChain(x509(longLeaf), { trustBundle: TrustBundle.fromPem(shortRoot.pem), at: new Date(Date.now() + 2 * HOUR) }),
    ).toThrow(/the trust anchor expired/);
    const expiring = testIntermediate(root, { notAfter: new Date(Date.now() + HOUR) });
    const under = testLeaf(expiring, [ID.toString()]);
    expect(() => verifyPeerChain(x509(under, expiring), { trustBundle: bundle, at: new Date(Date.now() + 2 * HOUR) })).toThrow(
      /chain certificate 2 expired/,
    );
  });

  it('requires exactly one SPIFFE URI on the leaf', () => {
    const https = testLeaf(root, ['https://reviews.example.com/']);
    expect(() => verifyPeerChain(x509(https), { trustBundle: bundle })).toThrow(PeerIdentityError);
    const two = testLeaf(root, [ID.toString(), OTHER.toString()]);
    expect(() => verifyPeerChain(x509(two), { trustBundle: bundle })).toThrow(/2 URI subjectAltNames/);
  });

  it('refuses empty, overlong and unparsable chains with typed errors', () => {
    expect(() => verifyPeerChain([], { trustBundle: bundle })).toThrow(/presented no certificate/);
    expect(() => verifyPeerChain(Array.from({ length: 9 }, () => leaf.x509), { trustBundle: bundle })).toThrow(/9 certificates/);
    expect(() => verifyPeerChain([Buffer.from('garbage')], { trustBundle: bundle })).toThrow(MalformedCertificateError);
    expect(() => verifyPeerChain([leaf.der.subarray(0, 100)], { trustBundle: bundle })).toThrow(MalformedCertificateError);
  });
});

describe('TrustBundle', () => {
  it('reads roots from several texts, several per text', () => {
    const a = testRoot();
    const b = testRoot();
    expect(TrustBundle.fromPem(a.pem + b.pem).size).toBe(2);
    expect(TrustBundle.fromPem([a.pem, b.pem]).size).toBe(2);
    expect(TrustBundle.fromPem([a.pem]).issuerOf(testLeaf(a, [ID.toString()]).x509)?.certificate.raw).toEqual(a.x509.raw);
  });

  it('refuses a leaf as a trust anchor', () => {
    const root = testRoot();
    expect(() => TrustBundle.fromPem(testLeaf(root, [ID.toString()]).pem)).toThrow(InvalidCaCertificateError);
  });
});
