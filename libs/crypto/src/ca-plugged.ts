import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issuerFor, type CaMaterial } from './ca-material.js';
import { CaFilesError, InvalidCaCertificateError } from './errors.js';
import { privateKeyFromPem } from './keys.js';
import { encodePem } from './pem.js';
import { parseCertificatePems, type ParsedCertificate } from './x509/parse.js';

/** Istio's plugged-in CA layout (the `cacerts` secret, mounted as a directory). */
export const PLUGGED_CA_FILES = {
  /** The signing certificate, usually an intermediate. */
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  /** From ca-cert.pem up to the root, as Istio's docs build it (`cat ca-cert.pem root-cert.pem`). */
  certChain: 'cert-chain.pem',
  /** One or more roots: the trust bundle (several while a root is being rotated). */
  rootCert: 'root-cert.pem',
} as const;

/**
 * Loads and checks a plugged-in CA: the key must match ca-cert.pem, ca-cert.pem must be a
 * CA, and cert-chain.pem must lead from it, link by verified link, to a root of
 * root-cert.pem. A CA that would issue unverifiable chains refuses to start instead.
 */
export async function loadPluggedCerts(dir: string, now: Date): Promise<CaMaterial> {
  const inDir = (file: string): string => join(dir, file);
  const [caCertPem, caKeyPem, chainPem, rootPem] = await Promise.all(
    [PLUGGED_CA_FILES.caCert, PLUGGED_CA_FILES.caKey, PLUGGED_CA_FILES.certChain, PLUGGED_CA_FILES.rootCert].map((file) => readRequired(inDir(file))),
  );
  const caCertPath = inDir(PLUGGED_CA_FILES.caCert);
  const caCerts = parseCertificatePems(caCertPem!, caCertPath);
  if (caCerts.length !== 1) throw new InvalidCaCertificateError(caCertPath, `it holds ${caCerts.length} certificates; put the rest in ${PLUGGED_CA_FILES.certChain}`);
  const signing = caCerts[0]!;
  const issuer = issuerFor(signing, privateKeyFromPem(caKeyPem!, inDir(PLUGGED_CA_FILES.caKey)), { cert: caCertPath, key: inDir(PLUGGED_CA_FILES.caKey) }, now);

  const roots = parseCertificatePems(rootPem!, inDir(PLUGGED_CA_FILES.rootCert));
  const notCa = roots.find((root) => !root.isCa);
  if (notCa !== undefined) throw new InvalidCaCertificateError(inDir(PLUGGED_CA_FILES.rootCert), 'it holds a certificate that is not a CA');
  const isRoot = (certificate: ParsedCertificate): boolean => roots.some((root) => root.der.equals(certificate.der));

  // From the signing certificate up to (not including) the root; empty when the signing
  // certificate is itself the root.
  const intermediates: ParsedCertificate[] = [];
  if (!isRoot(signing)) {
    const chain = parseCertificatePems(chainPem!, inDir(PLUGGED_CA_FILES.certChain)).filter((c) => !isRoot(c));
    if (chain[0] === undefined || !chain[0].der.equals(signing.der)) chain.unshift(signing);
    intermediates.push(...chain);
  }
  const top = intermediates.length === 0 ? signing : linkChain(intermediates, inDir(PLUGGED_CA_FILES.certChain));
  const topX509 = new X509Certificate(top.der);
  const root = roots.find((candidate) => {
    const rootX509 = new X509Certificate(candidate.der);
    return topX509.checkIssued(rootX509) && topX509.verify(rootX509.publicKey);
  });
  if (root === undefined) {
    throw new InvalidCaCertificateError(inDir(PLUGGED_CA_FILES.certChain), `it does not lead from ${PLUGGED_CA_FILES.caCert} to a root of ${PLUGGED_CA_FILES.rootCert}`);
  }
  // The signing certificate is the first of these, unless it is the root itself.
  const chain = [...intermediates, root];
  const expired = chain.find((certificate) => certificate.notAfter <= now);
  if (expired !== undefined) {
    throw new InvalidCaCertificateError(inDir(PLUGGED_CA_FILES.certChain), `a certificate of the chain expired at ${expired.notAfter.toISOString()}`);
  }
  const pem = (certificate: ParsedCertificate): string => encodePem(certificate.der, 'CERTIFICATE');
  return {
    issuer,
    notAfter: new Date(Math.min(...chain.map((certificate) => certificate.notAfter.getTime()))),
    chainPems: chain.map(pem),
    trustBundlePems: roots.map(pem),
  };
}

/** Checks that each certificate is signed by the next, which must be a CA; returns the last. */
function linkChain(chain: readonly ParsedCertificate[], what: string): ParsedCertificate {
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = new X509Certificate(chain[i]!.der);
    const parent = chain[i + 1]!;
    const parentX509 = new X509Certificate(parent.der);
    if (!parent.isCa || !child.checkIssued(parentX509) || !child.verify(parentX509.publicKey)) {
      throw new InvalidCaCertificateError(what, `certificate ${i + 1} (${child.subject || 'empty subject'}) is not issued by certificate ${i + 2}`);
    }
  }
  return chain[chain.length - 1]!;
}

async function readRequired(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CaFilesError(path, missing ? 'is missing' : 'cannot be read', cause);
  }
}
