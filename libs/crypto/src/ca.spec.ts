import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generalName, rawCsr, sanExtension } from './__support__/csr-builder.js';
import { tempDir, writeFiles } from './__support__/files.js';
import { testIntermediate, testLeaf, testRoot, writePluggedCa } from './__support__/pki.js';
import { CertificateAuthority, DEFAULT_CERT_TTL_MS } from './ca.js';
import { ROOT_CERT_FILE, ROOT_KEY_FILE } from './ca-root.js';
import { createCsr, parseCsr } from './csr.js';
import {
  CaFilesError,
  CaKeyMismatchError,
  CsrIdentityError,
  ForeignTrustDomainError,
  InvalidCaCertificateError,
  InvalidOptionError,
  PemError,
  UnsupportedKeyError,
} from './errors.js';
import { generateKeyPair, privateKeyToPem } from './keys.js';
import { SpiffeId } from './spiffe.js';

const ID = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/reviews');
const HOUR = 3600 * 1000;

/** Checks the chain link by link with node:crypto and returns the leaf. */
function checkChain(chain: readonly string[], trustBundle: readonly string[]): X509Certificate {
  const certs = chain.map((pem) => new X509Certificate(pem));
  for (let i = 0; i + 1 < certs.length; i++) {
    expect(certs[i]!.checkIssued(certs[i + 1]!)).toBe(true);
    expect(certs[i]!.verify(certs[i + 1]!.publicKey)).toBe(true);
  }
  expect(trustBundle.map((pem) => new X509Certificate(pem).raw)).toContainEqual(certs[certs.length - 1]!.raw);
  return certs[0]!;
}

describe('CertificateAuthority.create', () => {
  it('signs a workload CSR: leaf first, root last, 24h by default', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const { privateKey, publicKey } = generateKeyPair();
    const before = Date.now();
    const signed = ca.sign(createCsr(privateKey, ID), { identity: ID });
    expect(signed.certChain).toHaveLength(2);
    expect(signed.certChain[1]).toBe(ca.trustBundle()[0]);
    const leaf = checkChain(signed.certChain, ca.trustBundle());
    expect(leaf.subjectAltName).toBe(`URI:${ID.toString()}`);
    expect(leaf.publicKey.equals(publicKey)).toBe(true);
    expect(BigInt(`0x${leaf.serialNumber}`)).toBe(BigInt(`0x${signed.serialNumber}`));
    expect(BigInt(`0x${signed.serialNumber}`) > 0n).toBe(true);
    expect(signed.notAfter.getTime() - before).toBeGreaterThan(DEFAULT_CERT_TTL_MS - 2000);
    expect(signed.notAfter.getTime() - before).toBeLessThanOrEqual(DEFAULT_CERT_TTL_MS);
    // Backdated for clock skew between nodes.
    expect(signed.notBefore.getTime()).toBeLessThan(before - 59_000);
    const root = new X509Certificate(ca.trustBundle()[0]!);
    expect(root.subject).toBe('O=cluster.local');
    expect(root.ca).toBe(true);
    expect(new Date(root.validTo).getTime() - Date.now()).toBeGreaterThan(3649 * 24 * HOUR);
  });

  it('signs a CSR parseCsr already read, without reading it again; refuses a look-alike object', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local' });
    const { privateKey, publicKey } = generateKeyPair();
    const parsed = parseCsr(createCsr(privateKey, ID));
    const leaf = checkChain(ca.sign(parsed, { identity: ID }).certChain, ca.trustBundle());
    expect(leaf.publicKey.equals(publicKey)).toBe(true);
    expect(() => ca.sign({ ...parsed }, { identity: ID })).toThrow(/must come from parseCsr/);
  });

  it('honours a requested TTL and caps it at the maximum', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'cluster.local', maxTtlMs: 48 * HOUR, defaultTtlMs: 12 * HOUR });
    const csr = createCsr(generateKeyPair().privateKey, ID);
    const lifetime = (ttlMs?: number): number => {
      const now = Date.now();
      return ca.sign(csr, { identity: ID, ttlMs }).notAfter.getTime() - now;
    };
    expect(lifetime()).toBeGreaterThan(12 * HOUR - 2000);
    expect(lifetime()).toBeLessThanOrEqual(12 * HOUR);
    expect(lifetime(HOUR)).toBeLessThanOrEqual(HOUR);
    expect(lifetime(HOUR)).toBeGreaterThan(HOUR - 2000);
    expect(lifetime(1000 * 24 * HOUR)).toBeLessThanOrEqual(48 * HOUR);
    expect(lifetime(1000 * 24 * HOUR)).toBeGreaterThan(48 * HOUR - 2000);
  });

  it('persists its root (key mode 0600) and loads it on the next start', async () => {
    const dir = join(tempDir(), 'ca');
    const first = await CertificateAuthority.create({ trustDomain: 'cluster.local', dir });
    expect(statSync(join(dir, ROOT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, ROOT_CERT_FILE), 'utf8')).toBe(first.trustBundle()[0]);
    const signed = first.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    const second = await CertificateAuthority.create({ trustDomain: 'cluster.local', dir });
    expect(second.trustBundle()).toEqual(first.trustBundle());
    checkChain(signed.certChain, second.trustBundle());
    const again = second.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    expect(again.certChain[1]).toBe(first.trustBundle()[0]);
  });

  it.each([ROOT_CERT_FILE, ROOT_KEY_FILE])('refuses to start with %s missing but its pair present', async (missing) => {
    const dir = tempDir();
    await CertificateAuthority.create({ trustDomain: 'cluster.local', dir });
    unlinkSync(join(dir, missing));
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(CaFilesError);
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(missing);
  });

  it('refuses a root key that does not match the root certificate', async () => {
    const dir = tempDir();
    await CertificateAuthority.create({ trustDomain: 'cluster.local', dir });
    writeFileSync(join(dir, ROOT_KEY_FILE), privateKeyToPem(generateKeyPair().privateKey));
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(CaKeyMismatchError);
  });

  it('refuses a root file that is not a self-signed CA, or not PEM', async () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    const dir = tempDir();
    writeFiles(dir, { [ROOT_CERT_FILE]: intermediate.pem, [ROOT_KEY_FILE]: privateKeyToPem(intermediate.privateKey) });
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(/is not self-signed/);
    writeFiles(dir, { [ROOT_CERT_FILE]: root.pem + root.pem });
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(InvalidCaCertificateError);
    writeFiles(dir, { [ROOT_CERT_FILE]: 'garbage' });
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir })).rejects.toThrow(PemError);
  });

  it('reports a directory it cannot use', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir: file })).rejects.toThrow(CaFilesError);
    await expect(CertificateAuthority.create({ trustDomain: 'cluster.local', dir: join(file, 'sub') })).rejects.toThrow(CaFilesError);
  });

  it.each([
    [{ trustDomain: 'Cluster_Local' }, /option trustDomain/],
    [{ trustDomain: '' }, /option trustDomain/],
    [{ trustDomain: 'td', maxTtlMs: 0 }, /option maxTtlMs = 0/],
    [{ trustDomain: 'td', defaultTtlMs: Number.NaN }, /option defaultTtlMs = NaN/],
    [{ trustDomain: 'td', defaultTtlMs: 2 * HOUR, maxTtlMs: HOUR }, /exceeds maxTtlMs/],
  ])('validates options eagerly: %j', async (options, message) => {
    await expect(CertificateAuthority.create(options)).rejects.toThrow(InvalidOptionError);
    await expect(CertificateAuthority.create(options)).rejects.toThrow(message);
  });

  it('lowers the default TTL to a smaller maximum', async () => {
    const ca = await CertificateAuthority.create({ trustDomain: 'td', maxTtlMs: HOUR });
    expect(ca.defaultTtlMs).toBe(HOUR);
  });
});

describe('CertificateAuthority.sign refuses what it must not sign', () => {
  const caPromise = CertificateAuthority.create({ trustDomain: 'cluster.local' });
  const key = generateKeyPair().privateKey;

  const refusals: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['no SAN', rawCsr({ key, extensions: [] }), /it has no subjectAltName/],
    ['no extensionRequest', rawCsr({ key, attributes: [] }), /it has no subjectAltName/],
    ['a DNS SAN', rawCsr({ key, extensions: [sanExtension([generalName.dns('reviews.default.svc.cluster.local')])] }), /it asks for DNS:reviews/],
    ['an IP SAN', rawCsr({ key, extensions: [sanExtension([generalName.ip([10, 1, 2, 3])])] }), /it asks for IP:10\.1\.2\.3/],
    ['an email SAN', rawCsr({ key, extensions: [sanExtension([generalName.email('a@b.c')])] }), /it asks for email:a@b\.c/],
    [
      'the identity plus a DNS SAN',
      rawCsr({ key, extensions: [sanExtension([generalName.uri(ID.toString()), generalName.dns('evil.example.com')])] }),
      /it asks for 2 names: URI:spiffe.*, DNS:evil\.example\.com/,
    ],
    ['the identity twice', rawCsr({ key, extensions: [sanExtension([generalName.uri(ID.toString()), generalName.uri(ID.toString())])] }), /2 names/],
    ['another identity', createCsr(key, SpiffeId.parse('spiffe://cluster.local/ns/kube-system/sa/admin')), /it asks for URI:spiffe:\/\/cluster\.local\/ns\/kube-system\/sa\/admin$/],
    ['the same identity in another trust domain', createCsr(key, SpiffeId.parse('spiffe://evil.example/ns/default/sa/reviews')), /in trust domain "evil\.example"/],
    ['a URI that is no SPIFFE ID', rawCsr({ key, extensions: [sanExtension([generalName.uri('https://example.com/')])] }), /URI:https:\/\/example\.com\//],
  ];

  it.each(refusals)('refuses a CSR with %s', async (_what, csr, message) => {
    const ca = await caPromise;
    expect(() => ca.sign(csr, { identity: ID })).toThrow(CsrIdentityError);
    expect(() => ca.sign(csr, { identity: ID })).toThrow(message);
  });

  it('refuses identities of another trust domain outright', async () => {
    const ca = await caPromise;
    const foreign = SpiffeId.parse('spiffe://other.example/ns/default/sa/reviews');
    expect(() => ca.sign(createCsr(key, foreign), { identity: foreign })).toThrow(ForeignTrustDomainError);
  });

  it.each([0, -1, 999, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlMs %s', async (ttlMs) => {
    const ca = await caPromise;
    expect(() => ca.sign(createCsr(key, ID), { identity: ID, ttlMs })).toThrow(InvalidOptionError);
  });

  it('passes CSR errors through typed', async () => {
    const ca = await caPromise;
    expect(() => ca.sign('garbage', { identity: ID })).toThrow(PemError);
  });
});

describe('CertificateAuthority.fromPluggedCerts', () => {
  it('signs under an intermediate: leaf, intermediate, root', async () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] }));
    expect(ca.trustDomain).toBe('cluster.local');
    expect(ca.trustBundle()).toEqual([root.pem]);
    const signed = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    expect(signed.certChain.slice(1)).toEqual([intermediate.pem, root.pem]);
    checkChain(signed.certChain, ca.trustBundle());
  });

  it('loads an RSA CA and signs with it', async () => {
    const root = testRoot({ key: 'rsa' });
    const intermediate = testIntermediate(root, { key: 'rsa' });
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] }));
    const signed = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    expect(new X509Certificate(signed.certChain[0]!).verify(intermediate.x509.publicKey)).toBe(true);
    checkChain(signed.certChain, ca.trustBundle());
  });

  it('follows a chain of two intermediates, and adds ca-cert.pem when cert-chain.pem starts above it', async () => {
    const root = testRoot();
    const upper = testIntermediate(root, { name: 'upper' });
    const lower = testIntermediate(upper, { name: 'lower' });
    for (const chain of [[lower, upper, root], [upper, root], [upper]]) {
      const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: lower, chain, roots: [root] }));
      const signed = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
      expect(signed.certChain.slice(1)).toEqual([lower.pem, upper.pem, root.pem]);
    }
  });

  it('accepts a self-signed ca-cert.pem that is the root', async () => {
    const root = testRoot();
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: root, chain: [root], roots: [root] }), { trustDomain: 'example.org' });
    const id = SpiffeId.parse('spiffe://example.org/ns/a/sa/b');
    expect(ca.sign(createCsr(generateKeyPair().privateKey, id), { identity: id }).certChain.slice(1)).toEqual([root.pem]);
  });

  it('ends the chain at the root that issued it when root-cert.pem holds several', async () => {
    const oldRoot = testRoot({ name: 'old' });
    const newRoot = testRoot({ name: 'new' });
    const intermediate = testIntermediate(newRoot);
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, newRoot], roots: [oldRoot, newRoot] }));
    expect(ca.trustBundle()).toEqual([oldRoot.pem, newRoot.pem]);
    const signed = ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID });
    expect(signed.certChain.at(-1)).toBe(newRoot.pem);
  });

  it('caps leaves at the earliest expiry of the chain', async () => {
    const notAfter = new Date(Math.floor((Date.now() + HOUR) / 1000) * 1000);
    const root = testRoot();
    const intermediate = testIntermediate(root, { notAfter });
    const ca = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] }));
    expect(ca.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).notAfter).toEqual(notAfter);
    const shortRoot = testRoot({ notAfter });
    const upper = testIntermediate(shortRoot, { name: 'upper' });
    const lower = testIntermediate(upper, { name: 'lower' });
    const deep = await CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: lower, chain: [lower, upper, shortRoot], roots: [shortRoot] }));
    expect(deep.sign(createCsr(generateKeyPair().privateKey, ID), { identity: ID }).notAfter).toEqual(notAfter);
  });

  it.each(['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'])('names a missing %s', async (file) => {
    const root = testRoot();
    const dir = writePluggedCa({ caCert: root, chain: [root], roots: [root] });
    unlinkSync(join(dir, file));
    await expect(CertificateAuthority.fromPluggedCerts(dir)).rejects.toThrow(CaFilesError);
    await expect(CertificateAuthority.fromPluggedCerts(dir)).rejects.toThrow(`${file}: is missing`);
  });

  it('reports an unreadable file', async () => {
    const root = testRoot();
    const dir = writePluggedCa({ caCert: root, chain: [root], roots: [root] });
    unlinkSync(join(dir, 'ca-key.pem'));
    mkdirSync(join(dir, 'ca-key.pem'));
    await expect(CertificateAuthority.fromPluggedCerts(dir)).rejects.toThrow(/ca-key\.pem: cannot be read/);
  });

  it('refuses a key that does not match ca-cert.pem', async () => {
    const root = testRoot();
    const intermediate = testIntermediate(root);
    const dir = writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root], key: privateKeyToPem(root.privateKey) });
    await expect(CertificateAuthority.fromPluggedCerts(dir)).rejects.toThrow(CaKeyMismatchError);
  });

  it('refuses a ca-cert.pem that is not a CA', async () => {
    const root = testRoot();
    const leaf = testLeaf(root, [ID.toString()]);
    await expect(CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: leaf, chain: [leaf, root], roots: [root] }))).rejects.toThrow(/CA:TRUE/);
  });

  it('refuses an expired CA certificate, or an expired chain above it', async () => {
    const past = { notBefore: new Date(Date.now() - 48 * HOUR), notAfter: new Date(Date.now() - HOUR) };
    const root = testRoot();
    const intermediate = testIntermediate(root, past);
    await expect(
      CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [root] })),
    ).rejects.toThrow(/ca-cert\.pem cannot be used as a CA: it expired at/);
    const expiredRoot = testRoot(past);
    const below = testIntermediate(expiredRoot);
    await expect(
      CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: below, chain: [below, expiredRoot], roots: [expiredRoot] })),
    ).rejects.toThrow(/a certificate of the chain expired at/);
  });

  it('refuses a chain that does not lead to root-cert.pem', async () => {
    const root = testRoot();
    const other = testRoot({ name: 'other' });
    const intermediate = testIntermediate(root);
    await expect(
      CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: intermediate, chain: [intermediate, root], roots: [other] })),
    ).rejects.toThrow(/does not lead from ca-cert\.pem to a root of root-cert\.pem/);
  });

  it('refuses a chain with a broken link', async () => {
    const root = testRoot();
    const upper = testIntermediate(root, { name: 'upper' });
    const stranger = testIntermediate(root, { name: 'stranger' });
    const lower = testIntermediate(upper, { name: 'lower' });
    await expect(
      CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: lower, chain: [lower, stranger, root], roots: [root] })),
    ).rejects.toThrow(/certificate 1 \(O=lower\) is not issued by certificate 2/);
  });

  it('refuses a root-cert.pem holding a non-CA, and a ca-cert.pem holding several certificates', async () => {
    const root = testRoot();
    const leaf = testLeaf(root, [ID.toString()]);
    await expect(CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: root, chain: [root], roots: [root, leaf] }))).rejects.toThrow(
      /not a CA/,
    );
    const dir = writePluggedCa({ caCert: root, chain: [root], roots: [root] });
    writeFileSync(join(dir, 'ca-cert.pem'), root.pem + root.pem);
    await expect(CertificateAuthority.fromPluggedCerts(dir)).rejects.toThrow(/holds 2 certificates/);
  });

  it('refuses a P-521 CA key, which the mesh does not sign with', async () => {
    const root = testRoot({ key: 'p521' });
    await expect(CertificateAuthority.fromPluggedCerts(writePluggedCa({ caCert: root, chain: [root], roots: [root] }))).rejects.toThrow(
      UnsupportedKeyError,
    );
  });
});
