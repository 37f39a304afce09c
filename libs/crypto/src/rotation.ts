import { X509Certificate } from 'node:crypto';
import { decodePemBlocks } from './pem.js';
import { parseCertificate } from './x509/parse.js';

export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * When to renew a certificate: at half its lifetime, as Istio's agent and ztunnel do.
 * Half-life leaves as much time again to retry against a CA that is down before the
 * certificate actually expires. Takes the dates (`SignedCertificate` has them), an
 * X509Certificate, or PEM (the first certificate, i.e. the leaf of a chain).
 */
export function renewalTime(certificate: CertificateValidity | X509Certificate | string): Date {
  const { notBefore, notAfter } = validityOf(certificate);
  return new Date(notBefore.getTime() + (notAfter.getTime() - notBefore.getTime()) / 2);
}

export function needsRenewal(certificate: CertificateValidity | X509Certificate | string, now: Date = new Date()): boolean {
  return now >= renewalTime(certificate);
}

function validityOf(certificate: CertificateValidity | X509Certificate | string): CertificateValidity {
  if (typeof certificate === 'string') return parseCertificate(decodePemBlocks(certificate, ['CERTIFICATE'], 'certificate')[0]!, 'certificate');
  // X509Certificate's validFrom/validTo are display strings; the DER has the exact dates.
  if (certificate instanceof X509Certificate) return parseCertificate(certificate.raw, 'certificate');
  return certificate;
}
