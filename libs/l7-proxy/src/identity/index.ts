// A proxy's own certificate: requested with its node's token for the identity of its own Workload, renewed at half-life.
export { readRootCerts, readToken } from './credential-files.js';
export { OwnCertificateError, RootCertFileError, TokenFileError } from './errors.js';
export { OwnCertificate } from './own-certificate.js';
export type { CertificateDump, CertificateIssuer, OwnCertificateOptions } from './own-certificate.js';
