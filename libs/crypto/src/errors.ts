import { AmbitError } from '@ambit/errors';

/**
 * Every way the certificate machinery can refuse its input, one class per failure.
 * Codes are stable (docs/crypto.md lists them); messages name the offending part so
 * that a CA log line or a refused handshake says what to fix.
 */

/** Which part of a SPIFFE ID is wrong. */
export type SpiffeIdPart = 'uri' | 'scheme' | 'trust domain' | 'path' | 'namespace' | 'service account';

export class InvalidSpiffeIdError extends AmbitError {
  readonly part: SpiffeIdPart;

  constructor(value: string, part: SpiffeIdPart, reason: string) {
    super('AMBIT_ERR_CRYPTO_SPIFFE_ID', `invalid SPIFFE ID ${JSON.stringify(truncate(value))}: ${part} ${reason}`, {
      hint: 'Ambit identities look like spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>',
    });
    this.part = part;
  }
}

export class PemError extends AmbitError {
  constructor(what: string, reason: string) {
    super('AMBIT_ERR_CRYPTO_PEM', `${what} is not usable PEM: ${reason}`, {
      hint: 'expected base64 text between "-----BEGIN …-----" and "-----END …-----" lines',
    });
  }
}

export class InvalidKeyError extends AmbitError {
  constructor(what: string, cause: unknown) {
    super('AMBIT_ERR_CRYPTO_KEY', `${what} cannot be loaded`, {
      hint: 'expected an unencrypted PEM key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY")',
      cause,
    });
  }
}

export class UnsupportedKeyError extends AmbitError {
  constructor(what: string, description: string) {
    super('AMBIT_ERR_CRYPTO_UNSUPPORTED_KEY', `${what} is ${description}, which Ambit does not accept`, {
      hint: 'use ECDSA P-256 (the default) or P-384, or RSA of at least 2048 bits',
    });
  }
}

export class UnsupportedAlgorithmError extends AmbitError {
  constructor(what: string, algorithm: string) {
    super('AMBIT_ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `${what} uses signature algorithm ${algorithm}, which Ambit does not accept`, {
      hint: 'sign with SHA-256, SHA-384 or SHA-512 (ECDSA or RSA PKCS#1 v1.5)',
    });
  }
}

export class CsrTooLargeError extends AmbitError {
  constructor(bytes: number, limit: number) {
    super('AMBIT_ERR_CRYPTO_CSR_TOO_LARGE', `CSR of ${bytes} bytes exceeds the limit of ${limit} bytes`, {
      hint: 'a workload CSR with one SPIFFE ID is well under 1 KiB; is the client sending something else?',
    });
  }
}

export class MalformedCsrError extends AmbitError {
  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_CSR_MALFORMED', `CSR is malformed: ${reason}`, {
      hint: 'expected a DER PKCS#10 CertificationRequest in PEM',
      cause,
    });
  }
}

export class CsrSignatureError extends AmbitError {
  constructor(cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_CSR_SIGNATURE', 'CSR signature does not verify with the public key it carries', {
      hint: 'the CSR was altered or signed with a different key than the one it requests a certificate for',
      cause,
    });
  }
}

export class CsrIdentityError extends AmbitError {
  constructor(requested: string, reason: string) {
    super('AMBIT_ERR_CRYPTO_CSR_IDENTITY', `CSR does not ask for exactly ${requested}: ${reason}`, {
      hint: 'the CSR must carry one subjectAltName, the URI of the identity being requested, and nothing else',
    });
  }
}

export class ForeignTrustDomainError extends AmbitError {
  constructor(identity: string, trustDomain: string) {
    super('AMBIT_ERR_CRYPTO_TRUST_DOMAIN', `${identity} is outside this CA's trust domain "${trustDomain}"`, {
      hint: 'a CA only signs identities of its own trust domain',
    });
  }
}

export class InvalidOptionError extends AmbitError {
  constructor(option: string, value: unknown, reason: string) {
    super('AMBIT_ERR_CRYPTO_OPTION', `option ${option} = ${describeValue(value)} is invalid: ${reason}`);
  }
}

export class MalformedCertificateError extends AmbitError {
  constructor(what: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_CERT_MALFORMED', `${what} is not a well-formed X.509 certificate: ${reason}`, { cause });
  }
}

export class CaFilesError extends AmbitError {
  constructor(path: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_CA_FILES', `CA file ${path}: ${reason}`, {
      hint: 'plugged-in CAs need ca-cert.pem, ca-key.pem, cert-chain.pem and root-cert.pem in one directory',
      cause,
    });
  }
}

export class CaKeyMismatchError extends AmbitError {
  constructor(keyPath: string, certPath: string) {
    super('AMBIT_ERR_CRYPTO_KEY_MISMATCH', `the private key in ${keyPath} does not belong to the certificate in ${certPath}`, {
      hint: 'the two files come from different CAs; restore the pair that was issued together',
    });
  }
}

export class InvalidCaCertificateError extends AmbitError {
  constructor(what: string, reason: string) {
    super('AMBIT_ERR_CRYPTO_CA_CERT', `${what} cannot be used as a CA: ${reason}`);
  }
}

export class UntrustedChainError extends AmbitError {
  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_CHAIN_UNTRUSTED', `peer certificate chain is not trusted: ${reason}`, {
      hint: 'does the peer use a certificate from this mesh\'s CA, and is the trust bundle current?',
      cause,
    });
  }
}

export class CertificateValidityError extends AmbitError {
  constructor(what: string, notBefore: Date, notAfter: Date, at: Date) {
    const state = at < notBefore ? `is not valid before ${notBefore.toISOString()}` : `expired at ${notAfter.toISOString()}`;
    super('AMBIT_ERR_CRYPTO_CERT_VALIDITY', `${what} ${state} (checked at ${at.toISOString()})`, {
      hint: 'check the clocks of both hosts, and that certificates are being rotated',
    });
  }
}

export class PeerIdentityError extends AmbitError {
  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CRYPTO_PEER_IDENTITY', `peer certificate carries no usable SPIFFE identity: ${reason}`, {
      hint: 'mesh certificates carry exactly one URI subjectAltName spiffe://<trust-domain>/ns/<ns>/sa/<sa>',
      cause,
    });
  }
}

export class UnexpectedPeerIdentityError extends AmbitError {
  readonly identity: string;

  constructor(identity: string, allowed: readonly string[]) {
    const expected = allowed.length === 0 ? 'no identity is allowed' : `expected ${allowed.join(' or ')}`;
    super('AMBIT_ERR_CRYPTO_IDENTITY_MISMATCH', `peer is ${identity}; ${expected}`, {
      hint: 'the peer is not a workload the destination may have; check the service\'s workloads and their service accounts',
    });
    this.identity = identity;
  }
}

/** Hostile input must not be able to fill a log line. */
function truncate(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(truncate(value)) : String(value);
}
