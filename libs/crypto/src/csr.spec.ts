import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extensionRequest, generalName, otherAttribute, rawCsr, sanExtension } from './__support__/csr-builder.js';
import { keyPair } from './__support__/pki.js';
import { createCsr, MAX_CSR_BYTES, parseCsr } from './csr.js';
import { implicitPrimitive } from './der/asn1.js';
import { OID } from './der/oids.js';
import {
  CsrSignatureError,
  CsrTooLargeError,
  MalformedCsrError,
  PemError,
  UnsupportedAlgorithmError,
  UnsupportedKeyError,
} from './errors.js';
import { generateKeyPair } from './keys.js';
import { decodeSinglePem, encodePem } from './pem.js';
import { SpiffeId } from './spiffe.js';

const ID = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/reviews');
const derOf = (pem: string): Buffer => decodeSinglePem(pem, ['CERTIFICATE REQUEST'], 'CSR');
const pemOf = (der: Buffer): string => encodePem(der, 'CERTIFICATE REQUEST');

describe('createCsr / parseCsr', () => {
  it('round-trips a workload CSR: its key and exactly one URI SAN', () => {
    const { privateKey, publicKey } = generateKeyPair();
    const csr = createCsr(privateKey, ID);
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const parsed = parseCsr(csr);
    expect(parsed.publicKey.equals(publicKey)).toBe(true);
    expect(parsed.subjectAltNames).toEqual([{ type: 'uri', value: ID.toString() }]);
  });

  it.each(['p384', 'rsa'] as const)('accepts %s CSRs, as Istio sidecars send', (kind) => {
    const { privateKey } = keyPair(kind);
    const parsed = parseCsr(createCsr(privateKey, ID));
    expect(parsed.subjectAltNames).toEqual([{ type: 'uri', value: ID.toString() }]);
  });

  it('reports every requested name, so that a CA can refuse them', () => {
    const csr = rawCsr({
      key: generateKeyPair().privateKey,
      extensions: [
        sanExtension([
          generalName.uri(ID.toString()),
          generalName.dns('reviews.default.svc'),
          generalName.ip([10, 0, 0, 1]),
          generalName.ip([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
          generalName.ip([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
          generalName.ip([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
          generalName.email('ops@example.com'),
          generalName.registeredId(),
        ]),
      ],
    });
    expect(parseCsr(csr).subjectAltNames).toEqual([
      { type: 'uri', value: ID.toString() },
      { type: 'dns', value: 'reviews.default.svc' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'ip', value: '::' },
      { type: 'ip', value: '1:2:3:4:5:6:7:8' },
      { type: 'email', value: 'ops@example.com' },
      { type: 'other', tag: 8 },
    ]);
  });

  it('reports no SAN when there is no extensionRequest, and skips other attributes', () => {
    const key = generateKeyPair().privateKey;
    expect(parseCsr(rawCsr({ key, attributes: [] })).subjectAltNames).toEqual([]);
    expect(parseCsr(rawCsr({ key, attributes: [otherAttribute()] })).subjectAltNames).toEqual([]);
    expect(parseCsr(rawCsr({ key, extensions: [] })).subjectAltNames).toEqual([]);
    const both = rawCsr({ key, attributes: [otherAttribute(), extensionRequest([sanExtension([generalName.uri(ID.toString())])])] });
    expect(parseCsr(both).subjectAltNames).toHaveLength(1);
  });

  it('accepts OpenSSL 1.x "NEW CERTIFICATE REQUEST" labels', () => {
    const pem = createCsr(generateKeyPair().privateKey, ID).replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
    expect(parseCsr(pem).subjectAltNames).toHaveLength(1);
  });
});

describe('parseCsr refuses bad input with a typed error', () => {
  const good = createCsr(generateKeyPair().privateKey, ID);
  const goodDer = derOf(good);

  it('refuses a CSR over 8 KiB before parsing it', () => {
    expect(() => parseCsr('A'.repeat(MAX_CSR_BYTES + 1))).toThrow(CsrTooLargeError);
    // 4097 two-byte characters: short as a string, too long as bytes.
    expect(() => parseCsr('é'.repeat(4097))).toThrow(CsrTooLargeError);
    expect(() => parseCsr(good + ' '.repeat(MAX_CSR_BYTES))).toThrow(/exceeds the limit of 8192 bytes/);
  });

  it.each([
    ['garbage text', 'hello'],
    ['a certificate instead', good.replace(/CERTIFICATE REQUEST/g, 'CERTIFICATE')],
    ['two CSRs', good + good],
  ])('refuses %s as PEM', (_what, pem) => {
    expect(() => parseCsr(pem)).toThrow(PemError);
  });

  const malformed: ReadonlyArray<readonly [string, Buffer | string]> = [
    ['truncated DER', goodDer.subarray(0, goodDer.length - 10)],
    ['DER cut in a header', goodDer.subarray(0, 3)],
    ['trailing bytes', Buffer.concat([goodDer, Buffer.of(0, 0)])],
    ['random bytes', Buffer.from('d2hhdCBpcyB0aGlzPw==', 'base64')],
    ['an INTEGER instead of a SEQUENCE', Buffer.of(0x02, 0x01, 0x00)],
    ['an empty SEQUENCE', Buffer.of(0x30, 0x00)],
    ['version 2', rawCsr({ key: generateKeyPair().privateKey, version: 1 })],
    ['two extensionRequests', rawCsr({ key: generateKeyPair().privateKey, attributes: [extensionRequest([]), extensionRequest([])] })],
    ['two SAN extensions', rawCsr({ key: generateKeyPair().privateKey, extensions: [sanExtension([generalName.uri('a:b')]), sanExtension([generalName.uri('c:d')])] })],
    ['an empty SAN', rawCsr({ key: generateKeyPair().privateKey, extensions: [sanExtension([])] })],
    ['a 5-byte IP SAN', rawCsr({ key: generateKeyPair().privateKey, extensions: [sanExtension([generalName.ip([1, 2, 3, 4, 5])])] })],
    ['a non-ASCII URI SAN', rawCsr({ key: generateKeyPair().privateKey, extensions: [sanExtension([implicitPrimitive(6, 'spiffe://td/ns/\u00e9/sa/b')])] })],
  ];
  it.each(malformed)('refuses %s as malformed', (_what, input) => {
    const pem = typeof input === 'string' ? input : pemOf(input);
    expect(() => parseCsr(pem)).toThrow(MalformedCsrError);
  });

  it('refuses a CSR signed by another key', () => {
    const csr = rawCsr({ key: generateKeyPair().privateKey, signWith: generateKeyPair().privateKey, extensions: [sanExtension([generalName.uri(ID.toString())])] });
    expect(() => parseCsr(csr)).toThrow(CsrSignatureError);
  });

  it('refuses a CSR whose requested identity was altered after signing', () => {
    const tampered = Buffer.from(goodDer.toString('latin1').replace('reviews', 'ratings'), 'latin1');
    expect(() => parseCsr(pemOf(tampered))).toThrow(CsrSignatureError);
  });

  it('refuses a signature that is not even DER', () => {
    // The BIT STRING is last: replace its final bytes, keeping the structure intact.
    const broken = Buffer.from(goodDer);
    broken.fill(0xff, broken.length - 8);
    expect(() => parseCsr(pemOf(broken))).toThrow(CsrSignatureError);
  });

  it('refuses weak and unsupported algorithms', () => {
    const rsa = keyPair('rsa').privateKey;
    expect(() => parseCsr(rawCsr({ key: rsa, algorithm: { oid: '1.2.840.113549.1.1.5', hash: 'sha1' } }))).toThrow(UnsupportedAlgorithmError);
    const ec = generateKeyPair().privateKey;
    expect(() => parseCsr(rawCsr({ key: ec, algorithm: { oid: OID.sha256WithRsa, hash: 'sha256' } }))).toThrow(/with a ECDSA P-256 key/);
  });

  it('refuses keys outside the profile', () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => parseCsr(rawCsr({ key: rsa1024, algorithm: { oid: OID.sha256WithRsa, hash: 'sha256' } }))).toThrow(UnsupportedKeyError);
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    expect(() => parseCsr(rawCsr({ key: ed25519, algorithm: { oid: '1.3.101.112', hash: null } }))).toThrow(/Ed25519|ed25519/);
    const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey;
    expect(() => parseCsr(rawCsr({ key: p521, algorithm: { oid: OID.ecdsaWithSha512, hash: 'sha512' } }))).toThrow(UnsupportedKeyError);
  });
});
