import { X509Certificate, type KeyObject } from 'node:crypto';
import { signingAlgorithmFor } from './algorithms.js';
import { CaKeyMismatchError, InvalidCaCertificateError } from './errors.js';
import type { Issuer } from './x509/build.js';
import type { ParsedCertificate } from './x509/parse.js';

/** Everything a CA signs with, however it was obtained (self-signed root or plugged-in files). */
export interface CaMaterial {
  readonly issuer: Issuer;
  /** The earliest expiry in the chain up to the root: leaves never outlive it. */
  readonly notAfter: Date;
  /** PEMs sent after each leaf: the signing certificate if it is not the root, intermediates, the root. */
  readonly chainPems: readonly string[];
  /** Root PEMs that verify everything this CA issues. */
  readonly trustBundlePems: readonly string[];
}

/**
 * Checks that a certificate and a key can sign workload certificates together: the key
 * belongs to the certificate, the certificate is a CA allowed to sign certificates, it
 * has not expired, and the key is of a type the mesh signs with.
 */
export function issuerFor(certificate: ParsedCertificate, privateKey: KeyObject, paths: { readonly cert: string; readonly key: string }, now: Date): Issuer {
  if (!new X509Certificate(certificate.der).checkPrivateKey(privateKey)) throw new CaKeyMismatchError(paths.key, paths.cert);
  if (!certificate.isCa) throw new InvalidCaCertificateError(paths.cert, 'its basicConstraints do not say CA:TRUE');
  if (!certificate.mayIssueCertificates) throw new InvalidCaCertificateError(paths.cert, 'its keyUsage lacks keyCertSign');
  if (now >= certificate.notAfter) {
    throw new InvalidCaCertificateError(paths.cert, `it expired at ${certificate.notAfter.toISOString()}`);
  }
  return {
    name: certificate.subject,
    privateKey,
    algorithm: signingAlgorithmFor(privateKey, paths.key),
    keyIdentifier: certificate.keyIdentifier,
  };
}
