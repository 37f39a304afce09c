import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { TrustBundle } from '@ambit/crypto';
import { HboneCertificateError } from '../errors.js';

/** A workload's certificate as the CA issued it, with the key made on the node. */
export interface WorkloadCertificate {
  /** PEM certificates, leaf first (`SignedCertificate.certChain`; the root may stay at the end). */
  readonly certChain: string | readonly string[];
  /** PEM private key of the leaf. */
  readonly privateKey: string;
}

/**
 * The mesh's roots, as both ends need them: PEM for OpenSSL's handshake check and a
 * parsed `TrustBundle` for the identity check after it. `update` rotates them for new
 * connections; established ones keep the roots they were verified with.
 */
export class MeshTrust {
  #pem: string;
  #bundle: TrustBundle;
  #version = 0;

  constructor(roots: string | readonly string[]) {
    this.#bundle = TrustBundle.fromPem(roots);
    this.#pem = joinPems(roots);
  }

  update(roots: string | readonly string[]): void {
    this.#bundle = TrustBundle.fromPem(roots);
    this.#pem = joinPems(roots);
    this.#version++;
  }

  get bundle(): TrustBundle {
    return this.#bundle;
  }

  get pem(): string {
    return this.#pem;
  }

  /** Changes on every `update`, so contexts built from older roots are rebuilt. */
  get version(): number {
    return this.#version;
  }
}

/** TLS 1.3 only, this certificate, the mesh roots and nothing from the system store. */
export function tlsOptions(certificate: WorkloadCertificate, trust: MeshTrust): SecureContextOptions {
  return { minVersion: 'TLSv1.3', cert: joinPems(certificate.certChain), key: certificate.privateKey, ca: trust.pem };
}

/**
 * Secure contexts by certificate object. Building one parses the key and chain (about a
 * millisecond), so it is done once per certificate and roots version, not per
 * connection: a rotated certificate is a new object and gets a new context.
 */
export class SecureContextCache {
  readonly #contexts = new WeakMap<WorkloadCertificate, { readonly version: number; readonly context: SecureContext }>();

  get(certificate: WorkloadCertificate, trust: MeshTrust, what: string): SecureContext {
    const cached = this.#contexts.get(certificate);
    if (cached !== undefined && cached.version === trust.version) return cached.context;
    let context: SecureContext;
    try {
      context = createSecureContext(tlsOptions(certificate, trust));
    } catch (cause) {
      throw new HboneCertificateError(what, cause);
    }
    this.#contexts.set(certificate, { version: trust.version, context });
    return context;
  }
}

function joinPems(pems: string | readonly string[]): string {
  return typeof pems === 'string' ? pems : pems.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
}
