// Certificates ztunnel holds: its credentials for the control plane, and the workload certificates it obtains from the CA.
export { dumpCertificate, pemCertificates, uriNames } from './certificate-source.js';
export type { CertificateDump, CertificatesDump, CertificateSource } from './certificate-source.js';
export { SYSTEM_CLOCK } from './clock.js';
export type { Clock } from './clock.js';
export { CertificateFileError, CertificateManagerClosedError, CertificateManagerOptionError, TokenFileError, WorkloadCertificateError } from './errors.js';
export { WorkloadCertificates } from './workload-certificates.js';
export type { CertificateIssuer, WorkloadCertificatesOptions } from './workload-certificates.js';
export { XdsCertificate } from './xds-certificate.js';
export type { XdsCertificateFiles } from './xds-certificate.js';
