import { X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { signingAlgorithmFor } from './algorithms.js';
import { issuerFor, type CaMaterial } from './ca-material.js';
import { CaFilesError, InvalidCaCertificateError } from './errors.js';
import { generateKeyPair, privateKeyFromPem, privateKeyToPem } from './keys.js';
import { encodePem } from './pem.js';
import { issueCertificate, organizationName, subjectPublicKeyInfo } from './x509/build.js';
import { parseCertificate, parseCertificatePems, type ParsedCertificate } from './x509/parse.js';

export const ROOT_CERT_FILE = 'root-cert.pem';
export const ROOT_KEY_FILE = 'root-key.pem';
/** Istio's self-signed root lives ten years. */
export const ROOT_CERT_TTL_MS = 3650 * 24 * 3600 * 1000;
/** Tolerates clocks that are behind the CA's: a certificate must not start in a peer's future. */
export const CLOCK_SKEW_MS = 60 * 1000;

/**
 * The self-signed root of the embedded CA: generated on first start, persisted to `dir`
 * when one is given (the key with mode 0600), loaded as is on later starts so that
 * certificates issued before a restart stay valid.
 */
export async function loadOrCreateRoot(trustDomain: string, dir: string | undefined, now: Date): Promise<CaMaterial> {
  if (dir === undefined) return generateRoot(trustDomain, now).material;
  const certPath = join(dir, ROOT_CERT_FILE);
  const keyPath = join(dir, ROOT_KEY_FILE);
  const [certPem, keyPem] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (certPem !== undefined && keyPem !== undefined) return loadRoot(certPem, keyPem, { cert: certPath, key: keyPath }, now);
  if (certPem !== undefined || keyPem !== undefined) {
    const [missing, present] = certPem === undefined ? [certPath, keyPath] : [keyPath, certPath];
    throw new CaFilesError(missing, `is missing while ${present} exists; restore it, or remove both to start a new root (every workload certificate is then re-issued)`);
  }
  const root = generateRoot(trustDomain, now);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Key first: a crash in between leaves a key without a certificate, which the next
    // start reports, rather than a certificate whose key is lost.
    await writeAtomically(keyPath, root.keyPem, 0o600);
    await writeAtomically(certPath, root.certPem, 0o644);
  } catch (cause) {
    throw new CaFilesError(dir, 'cannot be written', cause);
  }
  return root.material;
}

function generateRoot(trustDomain: string, now: Date): { material: CaMaterial; certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPair();
  const name = organizationName(trustDomain);
  const notBefore = new Date(Math.floor((now.getTime() - CLOCK_SKEW_MS) / 1000) * 1000);
  const { der } = issueCertificate(
    { subject: name, publicKeyInfo: subjectPublicKeyInfo(publicKey), notBefore, notAfter: new Date(notBefore.getTime() + ROOT_CERT_TTL_MS), profile: { kind: 'ca' } },
    { name, privateKey, algorithm: signingAlgorithmFor(privateKey, 'root key'), keyIdentifier: undefined },
  );
  const certPem = encodePem(der, 'CERTIFICATE');
  const certificate = parseCertificate(der, 'generated root');
  return {
    material: materialOf(certPem, certificate, privateKey, { cert: ROOT_CERT_FILE, key: ROOT_KEY_FILE }, now),
    certPem,
    keyPem: privateKeyToPem(privateKey),
  };
}

function loadRoot(certPem: string, keyPem: string, paths: { cert: string; key: string }, now: Date): CaMaterial {
  const certificates = parseCertificatePems(certPem, paths.cert);
  if (certificates.length !== 1) throw new InvalidCaCertificateError(paths.cert, `it holds ${certificates.length} certificates, not one root`);
  const certificate = certificates[0]!;
  const x509 = new X509Certificate(certificate.der);
  if (!x509.checkIssued(x509) || !x509.verify(x509.publicKey)) throw new InvalidCaCertificateError(paths.cert, 'it is not self-signed');
  return materialOf(encodePem(certificate.der, 'CERTIFICATE'), certificate, privateKeyFromPem(keyPem, paths.key), paths, now);
}

function materialOf(
  certPem: string,
  certificate: ParsedCertificate,
  privateKey: KeyObject,
  paths: { cert: string; key: string },
  now: Date,
): CaMaterial {
  return {
    issuer: issuerFor(certificate, privateKey, paths, now),
    notAfter: certificate.notAfter,
    chainPems: [certPem],
    trustBundlePems: [certPem],
  };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CaFilesError(path, 'cannot be read', cause);
  }
}

/** Write-then-rename, so a reader never sees half a file; the temporary file is created with `mode`. */
async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    throw cause;
  }
}
