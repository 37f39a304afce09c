import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from './__support__/files.js';
import { hasOpenssl, openssl, opensslOk } from './__support__/openssl.js';
import { keyPair, testIntermediate, testRoot, writePluggedCa } from './__support__/pki.js';
import { CertificateAuthority } from './ca.js';
import { createCsr } from './csr.js';
import { CsrIdentityError, PeerIdentityError, UnsupportedKeyError, UntrustedChainError } from './errors.js';
import { generateKeyPair, privateKeyFromPem } from './keys.js';
import { SpiffeId } from './spiffe.js';
import { TrustBundle } from './trust-bundle.js';
import { verifyPeerChain } from './verify.js';

/**
 * Cross-checks with OpenSSL 3: it parses and verifies what the CA issues, accepts the
 * CSRs the library writes, and the CA signs CSRs and loads CAs that OpenSSL made. Skipped
 * (reported as such) where no openssl binary exists.
 */
const ID = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/reviews');
const skip = !hasOpenssl;

const EXTENSIONS = `
[intermediate]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[intermediate_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_without_san]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
[leaf_with_unknown_critical]
basicConstraints = critical, CA:FALSE
subjectAltName = URI:${ID.toString()}
1.2.3.4 = critical, ASN1:NULL
`;

/** Istio's plugged-in CA recipe, by OpenSSL: a root and an intermediate, in a cacerts directory. */
function opensslCa(kind: 'ec' | 'rsa' | 'p521', section = 'intermediate'): { dir: string; path: (file: string) => string } {
  const dir = tempDir();
  const path = (file: string): string => join(dir, file);
  writeFiles(dir, { 'ext.cnf': EXTENSIONS });
  const genkey = (out: string): void => {
    if (kind === 'rsa') opensslOk(['genrsa', '-traditional', '-out', path(out), '2048']);
    else opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${kind === 'ec' ? 'P-256' : 'P-521'}`, '-out', path(out)]);
  };
  genkey('root-key.pem');
  opensslOk(['req', '-x509', '-new', '-key', path('root-key.pem'), '-subj', '/O=Istio/CN=Root CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', path('root-cert.pem')]);
  genkey('ca-key.pem');
  opensslOk(['req', '-new', '-key', path('ca-key.pem'), '-subj', '/O=Istio/CN=Intermediate CA', '-out', path('ca.csr')]);
  signWithOpenssl(dir, 'ca.csr', 'root-cert.pem', 'root-key.pem', section, 'ca-cert.pem');
  writeFiles(dir, { 'cert-chain.pem': readFileSync(path('ca-cert.pem'), 'utf8') + readFileSync(path('root-cert.pem'), 'utf8') });
  return { dir, path };
}

function signWithOpenssl(dir: string, csr: string, caCert: string, caKey: string, section: string, out: string): void {
  opensslOk(['x509', '-req', '-in', join(dir, csr), '-CA', join(dir, caCert), '-CAkey', join(dir, caKey), '-set_serial', '0x1001',
    '-days', '30', '-extfile', join(dir, 'ext.cnf'), '-extensions', section, '-out', join(dir, out)]);
}

/** An OpenSSL CSR for an EC P-256 key with the given subjectAltName. */
function opensslCsr(dir: string, san: string, keyType: 'ec' | 'rsa' = 'ec'): string {
  const newkey = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  opensslOk(['req', '-new', ...newkey, '-nodes', '-keyout', join(dir, 'workload-key.pem'), '-subj', '/O=workload', '-addext', `subjectAltName=${san}`, '-out', join(dir, 'workload.csr')]);
  return readFileSync(join(dir, 'workload.csr'), 'utf8');
}

describe('OpenSSL reads what the library writes', () => {
  it.skipIf(skip)('parses issued certificates and shows their profile', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const [leaf, root] = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).certChain;
    const leafText = opensslOk(['x509', '-noout', '-text'], leaf);
    expect(leafText).toContain('Version: 3 (0x2)');
    expect(leafText).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(leafText).toMatch(/X509v3 Subject Alternative Name: critical\s+URI:spiffe:\/\/cluster\.local\/ns\/default\/sa\/reviews\n/);
    expect(leafText).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(leafText).toMatch(/X509v3 Extended Key Usage: \s*TLS Web Server Authentication, TLS Web Client Authentication\n/);
    expect(leafText).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE\n/);
    expect(leafText).toContain('X509v3 Subject Key Identifier');
    expect(leafText).toContain('X509v3 Authority Key Identifier');
    const rootText = opensslOk(['x509', '-noout', '-text'], root);
    expect(rootText).toContain('Subject: O = cluster.local');
    expect(rootText).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(rootText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
  });

  it.skipIf(skip)('verifies issued chains, for TLS clients and servers alike', async () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    for (const ca of [
      await CertificateAuthority.create({ trustDomain: 'cluster.local' }),
      await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] })),
    ]) {
      const chain = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).certChain;
      const dir = tempDir();
      const files = writeFiles(dir, {
        'root.pem': ca.trustBundle().join(''),
        'intermediates.pem': chain.slice(1, -1).join(''),
        'leaf.pem': chain[0]!,
      });
      const untrusted = chain.length > 2 ? ['-untrusted', files['intermediates.pem']!] : [];
      for (const purpose of ['sslserver', 'sslclient']) {
        const result = openssl(['verify', '-purpose', purpose, '-CAfile', files['root.pem']!, ...untrusted, files['leaf.pem']!]);
        expect(result.stderr).toBe('');
        expect(result.stdout).toContain(': OK');
      }
      const rogue = writeFiles(dir, { 'rogue.pem': testRoot().pem });
      expect(openssl(['verify', '-CAfile', rogue['rogue.pem']!, ...untrusted, files['leaf.pem']!]).status).not.toBe(0);
    }
  });

  it.skipIf(skip)('accepts the CSRs the library writes', () => {
    for (const key of [generateKeyPair().privateKey, keyPair('rsa').privateKey, keyPair('p384').privateKey]) {
      const result = openssl(['req', '-verify', '-noout', '-text'], createCsr(key, ID));
      expect(result.status).toBe(0);
      expect(result.stderr + result.stdout).toMatch(/verify OK/i);
      expect(result.stdout).toMatch(/X509v3 Subject Alternative Name: critical\s+URI:spiffe:\/\/cluster\.local\/ns\/default\/sa\/reviews/);
    }
  });
});

describe('the library takes what OpenSSL writes', () => {
  it.skipIf(skip)('signs a CSR from `openssl req -new` with an EC key and a URI SAN', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const dir = tempDir();
    for (const keyType of ['ec', 'rsa'] as const) {
      const signed = ca.sign(opensslCsr(dir, `URI:${ID.toString()}`, keyType), { identity: ID });
      const leaf = new X509Certificate(signed.certChain[0]!);
      expect(leaf.subjectAltName).toBe(`URI:${ID.toString()}`);
      // The subject the CSR asked for is not copied: the profile's subject is empty.
      expect(leaf.subject as string | undefined).toBeUndefined();
      expect(leaf.checkPrivateKey(privateKeyFromPem(readFileSync(join(dir, 'workload-key.pem'), 'utf8')))).toBe(true);
      expect(verifyPeerChain([leaf], { trustBundle: TrustBundle.fromPem(ca.trustBundle()) }).identity.equals(ID)).toBe(true);
    }
  });

  it.skipIf(skip)('refuses OpenSSL CSRs asking for other names', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const dir = tempDir();
    for (const san of ['DNS:reviews.default.svc', 'IP:10.0.0.1', `URI:${ID.toString()},DNS:evil.example.com`, 'URI:spiffe://cluster.local/ns/default/sa/admin']) {
      expect(() => ca.sign(opensslCsr(dir, san), { identity: ID })).toThrow(CsrIdentityError);
    }
  });

  it.skipIf(skip)('loads plugged-in CAs made by OpenSSL, EC and RSA (PKCS#1 key)', async () => {
    for (const kind of ['ec', 'rsa'] as const) {
      const { dir, path } = opensslCa(kind);
      if (kind === 'rsa') expect(readFileSync(path('ca-key.pem'), 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
      const ca = await CertificateAuthority.fromPluggedCerts(dir);
      const chain = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).certChain;
      expect(chain).toHaveLength(3);
      const files = writeFiles(dir, { 'leaf.pem': chain[0]!, 'intermediates.pem': chain[1]! });
      const result = openssl(['verify', '-CAfile', path('root-cert.pem'), '-untrusted', files['intermediates.pem']!, files['leaf.pem']!]);
      expect(result.stdout).toContain(': OK');
      if (kind === 'rsa') expect(opensslOk(['x509', '-noout', '-text'], chain[0])).toContain('Signature Algorithm: sha256WithRSAEncryption');
    }
  });

  it.skipIf(skip)('refuses a plugged-in P-521 CA', async () => {
    await expect(CertificateAuthority.fromPluggedCerts(opensslCa('p521').dir)).rejects.toThrow(UnsupportedKeyError);
  });

  it.skipIf(skip)('enforces pathlen like OpenSSL does', async () => {
    // root → intermediate (pathlen:0) → second intermediate → leaf: one CA too many.
    const { dir, path } = opensslCa('ec', 'intermediate_pathlen0');
    opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path('sub-key.pem')]);
    opensslOk(['req', '-new', '-key', path('sub-key.pem'), '-subj', '/O=Istio/CN=Sub CA', '-out', path('sub.csr')]);
    signWithOpenssl(dir, 'sub.csr', 'ca-cert.pem', 'ca-key.pem', 'intermediate', 'sub-cert.pem');
    writeFiles(dir, {
      'ca-cert.pem': readFileSync(path('sub-cert.pem'), 'utf8'),
      'cert-chain.pem': readFileSync(path('sub-cert.pem'), 'utf8') + readFileSync(path('ca-cert.pem'), 'utf8'),
      'ca-key.pem': readFileSync(path('sub-key.pem'), 'utf8'),
    });
    const upper = readFileSync(path('cert-chain.pem'), 'utf8');
    const ca = await CertificateAuthority.fromPluggedCerts(dir);
    const chain = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).certChain;
    expect(chain).toHaveLength(4);
    const files = writeFiles(dir, { 'leaf.pem': chain[0]!, 'intermediates.pem': upper });
    expect(openssl(['verify', '-CAfile', path('root-cert.pem'), '-untrusted', files['intermediates.pem']!, files['leaf.pem']!]).status).not.toBe(0);
    const trustBundle = TrustBundle.fromPem(ca.trustBundle());
    const certs = chain.slice(0, -1).map((pem) => new X509Certificate(pem));
    expect(() => verifyPeerChain(certs, { trustBundle })).toThrow(/allows 0 intermediates below it/);
  });

  it.skipIf(skip)('refuses peer leaves without a SAN, or with critical extensions it does not process', () => {
    const { dir, path } = opensslCa('ec');
    const trustBundle = TrustBundle.fromPem(readFileSync(path('root-cert.pem'), 'utf8'));
    const intermediate = new X509Certificate(readFileSync(path('ca-cert.pem')));
    opensslCsr(dir, `URI:${ID.toString()}`);
    signWithOpenssl(dir, 'workload.csr', 'ca-cert.pem', 'ca-key.pem', 'leaf_without_san', 'no-san.pem');
    signWithOpenssl(dir, 'workload.csr', 'ca-cert.pem', 'ca-key.pem', 'leaf_with_unknown_critical', 'critical.pem');
    const noSan = new X509Certificate(readFileSync(path('no-san.pem')));
    expect(() => verifyPeerChain([noSan, intermediate], { trustBundle })).toThrow(PeerIdentityError);
    const critical = new X509Certificate(readFileSync(path('critical.pem')));
    expect(() => verifyPeerChain([critical, intermediate], { trustBundle })).toThrow(UntrustedChainError);
    expect(() => verifyPeerChain([critical, intermediate], { trustBundle })).toThrow(/critical extension Ambit does not process \(1\.2\.3\.4\)/);
  });
});
