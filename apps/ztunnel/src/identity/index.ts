// Certificates ztunnel holds: the xDS client certificate now; the workload certificate manager plugs in as another CertificateSource.
export { dumpCertificate, pemCertificates, uriNames } from './certificate-source.js';
export type { CertificateDump, CertificatesDump, CertificateSource } from './certificate-source.js';
export { CertificateFileError } from './errors.js';
export { XdsCertificate } from './xds-certificate.js';
export type { XdsCertificateFiles } from './xds-certificate.js';
