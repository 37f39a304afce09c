import { loadPluggedCerts } from './ca-plugged.js';
import { CLOCK_SKEW_MS, loadOrCreateRoot } from './ca-root.js';
import type { CaMaterial } from './ca-material.js';
import { csrForSigning, type ParsedCsr } from './csr.js';
import { describeSubjectAltName, type SubjectAltName } from './der/general-names.js';
import { CsrIdentityError, ForeignTrustDomainError, InvalidCaCertificateError, InvalidOptionError } from './errors.js';
import { encodePem } from './pem.js';
import { checkTrustDomain, SpiffeId } from './spiffe.js';
import { EMPTY_NAME, issueCertificate } from './x509/build.js';

const HOUR_MS = 3600 * 1000;
/** Istio's defaults: workload certificates live 24 hours, and at most 90 days. */
export const DEFAULT_CERT_TTL_MS = 24 * HOUR_MS;
export const DEFAULT_MAX_CERT_TTL_MS = 90 * 24 * HOUR_MS;
/** Istio's default trust domain, used for plugged-in CAs when none is given. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

export interface TtlOptions {
  /** Lifetime of a certificate when the request names none (default 24h). */
  readonly defaultTtlMs?: number;
  /** Longer requests are shortened to this (default 90 days). */
  readonly maxTtlMs?: number;
}

export interface CaOptions extends TtlOptions {
  readonly trustDomain: string;
  /** Where the root is kept across restarts; without it the root lives in memory only. */
  readonly dir?: string;
}

export interface PluggedCaOptions extends TtlOptions {
  readonly trustDomain?: string;
}

export interface SignOptions {
  /** The identity the caller has established the requester may have. */
  readonly identity: SpiffeId;
  /** Requested lifetime; capped at the CA's maximum and at its own certificate's expiry. */
  readonly ttlMs?: number;
}

export interface SignedCertificate {
  /** PEMs, leaf first, then intermediates, root last: Istio's CreateCertificate response. */
  readonly certChain: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Hex, as OpenSSL prints it. */
  readonly serialNumber: string;
}

/**
 * The mesh CA: signs workload CSRs for identities the caller has authorised. It does not
 * decide who may have which identity (the CA server checks the node's workloads); it
 * makes sure the certificate carries exactly that identity and nothing else.
 */
export class CertificateAuthority {
  readonly trustDomain: string;
  readonly defaultTtlMs: number;
  readonly maxTtlMs: number;
  readonly #material: CaMaterial;

  private constructor(trustDomain: string, ttls: { defaultTtlMs: number; maxTtlMs: number }, material: CaMaterial) {
    this.trustDomain = trustDomain;
    this.defaultTtlMs = ttls.defaultTtlMs;
    this.maxTtlMs = ttls.maxTtlMs;
    this.#material = material;
  }

  /**
   * The embedded CA: a self-signed ECDSA P-256 root (ten years), generated on first start
   * and, with `dir`, persisted there (root-cert.pem, root-key.pem with mode 0600) and
   * loaded again on later starts.
   */
  static async create(options: CaOptions): Promise<CertificateAuthority> {
    const trustDomain = checkedTrustDomain(options.trustDomain);
    const ttls = checkedTtls(options);
    return new CertificateAuthority(trustDomain, ttls, await loadOrCreateRoot(trustDomain, options.dir, new Date()));
  }

  /** A CA from Istio's plugged-in `cacerts` directory (ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem). */
  static async fromPluggedCerts(dir: string, options: PluggedCaOptions = {}): Promise<CertificateAuthority> {
    const trustDomain = checkedTrustDomain(options.trustDomain ?? DEFAULT_TRUST_DOMAIN);
    const ttls = checkedTtls(options);
    return new CertificateAuthority(trustDomain, ttls, await loadPluggedCerts(dir, new Date()));
  }

  /**
   * Signs a CSR (its PEM, or what `parseCsr` made of it) for `identity`. The CSR's signature must verify and its only
   * subjectAltName must be exactly that identity's URI: a CSR with no SAN, several, a DNS
   * or IP name, or another identity is refused, whatever else it asks for. Everything
   * else in the certificate comes from the profile, never from the CSR.
   */
  sign(csrPem: string | ParsedCsr, options: SignOptions): SignedCertificate {
    if (options.identity.trustDomain !== this.trustDomain) throw new ForeignTrustDomainError(options.identity.toString(), this.trustDomain);
    const ttlMs = Math.min(options.ttlMs === undefined ? this.defaultTtlMs : checkedTtl('ttlMs', options.ttlMs), this.maxTtlMs);
    const csr = csrForSigning(csrPem);
    checkRequestedIdentity(csr.subjectAltNames, options.identity);

    const now = Date.now();
    const notBefore = wholeSeconds(now - CLOCK_SKEW_MS);
    // A leaf that outlived its chain would fail verification before it is renewed.
    const notAfter = wholeSeconds(Math.min(now + ttlMs, this.#material.notAfter.getTime()));
    if (notAfter.getTime() <= now) {
      throw new InvalidCaCertificateError('the CA certificate chain', `it expired at ${this.#material.notAfter.toISOString()}`);
    }
    const { der, serialNumber } = issueCertificate(
      { subject: EMPTY_NAME, publicKeyInfo: csr.publicKeyInfo, notBefore, notAfter, profile: { kind: 'leaf', uris: [options.identity.toString()] } },
      this.#material.issuer,
    );
    return { certChain: [encodePem(der, 'CERTIFICATE'), ...this.#material.chainPems], notBefore, notAfter, serialNumber };
  }

  /** The root certificates (PEM) that verify every certificate this CA issues. */
  trustBundle(): readonly string[] {
    return this.#material.trustBundlePems;
  }
}

function checkRequestedIdentity(names: readonly SubjectAltName[], identity: SpiffeId): void {
  const expected = identity.toString();
  const [name] = names;
  if (name === undefined) throw new CsrIdentityError(expected, 'it has no subjectAltName');
  if (names.length > 1) throw new CsrIdentityError(expected, `it asks for ${names.length} names: ${names.map(describeSubjectAltName).join(', ')}`);
  if (name.type !== 'uri') throw new CsrIdentityError(expected, `it asks for ${describeSubjectAltName(name)}`);
  if (name.value === expected) return;
  const trustDomain = trustDomainOf(name.value);
  const where = trustDomain !== undefined && trustDomain !== identity.trustDomain ? ` in trust domain "${trustDomain}"` : '';
  throw new CsrIdentityError(expected, `it asks for URI:${name.value}${where}`);
}

function trustDomainOf(uri: string): string | undefined {
  try {
    return SpiffeId.parse(uri).trustDomain;
  } catch {
    return undefined;
  }
}

function checkedTrustDomain(trustDomain: string): string {
  const error = checkTrustDomain(trustDomain);
  if (error !== undefined) throw new InvalidOptionError('trustDomain', trustDomain, error);
  return trustDomain;
}

function checkedTtls(options: TtlOptions): { defaultTtlMs: number; maxTtlMs: number } {
  const maxTtlMs = checkedTtl('maxTtlMs', options.maxTtlMs ?? DEFAULT_MAX_CERT_TTL_MS);
  const defaultTtlMs = checkedTtl('defaultTtlMs', options.defaultTtlMs ?? Math.min(DEFAULT_CERT_TTL_MS, maxTtlMs));
  if (defaultTtlMs > maxTtlMs) throw new InvalidOptionError('defaultTtlMs', defaultTtlMs, `it exceeds maxTtlMs (${maxTtlMs})`);
  return { defaultTtlMs, maxTtlMs };
}

/** Certificates have whole-second validity, so a TTL under a second would be empty. */
function checkedTtl(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 1000) throw new InvalidOptionError(option, value, 'must be a number of milliseconds of at least 1000');
  return value;
}

function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}
