import { X509Certificate } from 'node:crypto';

/** One certificate as ztunnel's config dump shows it (ztunnel's `CertDump`). */
export interface CertificateDump {
  readonly pem: string;
  /** Hex, as OpenSSL prints it. */
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly validFrom: string;
  readonly expirationTime: string;
}

/** The certificates held for one identity (ztunnel's `CertsDump`). */
export interface CertificatesDump {
  readonly identity: string;
  /** `Available`, `Initializing`, or `Unavailable: <why>`, as ztunnel reports them. */
  readonly state: string;
  /** Leaf first. */
  readonly certChain: readonly CertificateDump[];
  readonly rootCerts: readonly CertificateDump[];
}

/**
 * Something that holds certificates: the xDS client certificate now, the workload
 * certificate manager next. The admin dump lists what each holds, and readiness waits
 * until none is pending.
 */
export interface CertificateSource {
  /** Names it in readiness lines (`certificates:<name>`). */
  readonly name: string;
  /** Why its certificates are not loaded yet; undefined once they are. */
  pending(): string | undefined;
  dump(): readonly CertificatesDump[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, in order. */
export function pemCertificates(text: string): X509Certificate[] {
  return (text.match(PEM_CERTIFICATE) ?? []).map((pem) => new X509Certificate(pem));
}

export function dumpCertificate(certificate: X509Certificate): CertificateDump {
  return {
    pem: certificate.toString(),
    serialNumber: certificate.serialNumber.toLowerCase(),
    validFrom: new Date(certificate.validFrom).toISOString(),
    expirationTime: new Date(certificate.validTo).toISOString(),
  };
}

/** The URI subjectAltNames of a certificate (a mesh certificate has one: its SPIFFE ID). */
export function uriNames(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((name) => name.startsWith('URI:'))
    .map((name) => name.slice(4));
}
