import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { signingAlgorithmFor, type SigningAlgorithm } from '../algorithms.js';
import { encodeDer, oid, sequence, type Asn1 } from '../der/asn1.js';
import { OID } from '../der/oids.js';
import { privateKeyToPem } from '../keys.js';
import { encodePem } from '../pem.js';
import { tempDir, writeFiles } from './files.js';
import { EMPTY_NAME, issueCertificate, organizationName, subjectPublicKeyInfo, type Issuer } from '../x509/build.js';
import { parseCertificate } from '../x509/parse.js';

/**
 * Test certificates built with the library's own certificate builder, for shapes the CA
 * never issues (RSA roots, intermediates, expired or future CAs, odd SANs).
 */
export type KeyKind = 'p256' | 'p384' | 'p521' | 'rsa';

export interface TestCert {
  readonly der: Buffer;
  readonly pem: string;
  readonly x509: X509Certificate;
  readonly privateKey: KeyObject;
  /** Signs children of this certificate. */
  readonly issuer: Issuer;
}

export interface TestCertOptions {
  readonly key?: KeyKind;
  readonly name?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const HOUR = 3600 * 1000;
let rsaPair: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** RSA generation takes a good fraction of a second, so tests share one key. */
export function keyPair(kind: KeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  if (kind === 'rsa') return (rsaPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
  return generateKeyPairSync('ec', { namedCurve: { p256: 'P-256', p384: 'P-384', p521: 'P-521' }[kind] });
}

export function testRoot(options: TestCertOptions = {}): TestCert {
  const { privateKey, publicKey } = keyPair(options.key ?? 'p256');
  const name = organizationName(options.name ?? 'test root');
  const selfIssuer: Issuer = { name, privateKey, algorithm: algorithmOf(privateKey), keyIdentifier: undefined };
  return finish(name, privateKey, publicKey, selfIssuer, { kind: 'ca' }, options, 24 * 3650 * HOUR);
}

export function testIntermediate(parent: TestCert, options: TestCertOptions = {}): TestCert {
  const { privateKey, publicKey } = keyPair(options.key ?? 'p256');
  return finish(organizationName(options.name ?? 'test intermediate'), privateKey, publicKey, parent.issuer, { kind: 'ca' }, options, 24 * 365 * HOUR);
}

export function testLeaf(parent: TestCert, uris: readonly string[], options: TestCertOptions = {}): TestCert {
  const { privateKey, publicKey } = keyPair(options.key ?? 'p256');
  return finish(EMPTY_NAME, privateKey, publicKey, parent.issuer, { kind: 'leaf', uris }, options, 24 * HOUR);
}

function finish(
  name: Asn1,
  privateKey: KeyObject,
  publicKey: KeyObject,
  issuer: Issuer,
  profile: { kind: 'ca' } | { kind: 'leaf'; uris: readonly string[] },
  options: TestCertOptions,
  lifetimeMs: number,
): TestCert {
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + lifetimeMs);
  const { der } = issueCertificate({ subject: name, publicKeyInfo: subjectPublicKeyInfo(publicKey), notBefore, notAfter, profile }, issuer);
  const parsed = parseCertificate(der, 'test certificate');
  return {
    der,
    pem: encodePem(der, 'CERTIFICATE'),
    x509: new X509Certificate(der),
    privateKey,
    issuer: { name, privateKey, algorithm: algorithmOf(privateKey), keyIdentifier: parsed.keyIdentifier },
  };
}

/** The library's algorithm choice, plus ECDSA P-521 (which it refuses) to build CAs it must reject. */
function algorithmOf(privateKey: KeyObject): SigningAlgorithm {
  if (privateKey.asymmetricKeyDetails?.namedCurve !== 'secp521r1') return signingAlgorithmFor(privateKey, 'test');
  const identifier = sequence([oid(OID.ecdsaWithSha512)]);
  return { hash: 'sha512', identifier, identifierDer: encodeDer(identifier) };
}

/** A plugged-in CA directory (Istio's cacerts layout) holding these certificates. */
export function writePluggedCa(files: { caCert: TestCert; chain: readonly TestCert[]; roots: readonly TestCert[]; key?: string }): string {
  const dir = tempDir();
  writeFiles(dir, {
    'ca-cert.pem': files.caCert.pem,
    'ca-key.pem': files.key ?? privateKeyToPem(files.caCert.privateKey),
    'cert-chain.pem': files.chain.map((c) => c.pem).join(''),
    'root-cert.pem': files.roots.map((c) => c.pem).join(''),
  });
  return dir;
}
