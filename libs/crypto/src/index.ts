export { SpiffeId, checkTrustDomain } from './spiffe.js';
export { spiffeIdSetting } from './spiffe-setting.js';
export { generateKeyPair, privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './keys.js';
export type { KeyPair } from './keys.js';
export { createCsr, parseCsr, MAX_CSR_BYTES } from './csr.js';
export type { ParsedCsr } from './csr.js';
export type { SubjectAltName } from './der/general-names.js';
export {
  CertificateAuthority,
  DEFAULT_CERT_TTL_MS,
  DEFAULT_MAX_CERT_TTL_MS,
  DEFAULT_TRUST_DOMAIN,
} from './ca.js';
export type { CaOptions, PluggedCaOptions, SignOptions, SignedCertificate, TtlOptions } from './ca.js';
export { PLUGGED_CA_FILES } from './ca-plugged.js';
export { ROOT_CERT_FILE, ROOT_CERT_TTL_MS, ROOT_KEY_FILE } from './ca-root.js';
export { TrustBundle } from './trust-bundle.js';
export type { TrustAnchor } from './trust-bundle.js';
export { verifyPeerChain } from './verify.js';
export type { VerifiedPeer, VerifyPeerOptions } from './verify.js';
export { peerCertificateChain } from './tls-peer.js';
export { needsRenewal, renewalTime } from './rotation.js';
export type { CertificateValidity } from './rotation.js';
export {
  CaFilesError,
  CaKeyMismatchError,
  CertificateValidityError,
  CsrIdentityError,
  CsrSignatureError,
  CsrTooLargeError,
  ForeignTrustDomainError,
  InvalidCaCertificateError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidSpiffeIdError,
  MalformedCertificateError,
  MalformedCsrError,
  PemError,
  PeerIdentityError,
  UnexpectedPeerIdentityError,
  UnsupportedAlgorithmError,
  UnsupportedKeyError,
  UntrustedChainError,
} from './errors.js';
export type { SpiffeIdPart } from './errors.js';
