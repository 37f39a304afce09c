import { X509Certificate, type KeyObject } from 'node:crypto';
import { InvalidCaCertificateError } from './errors.js';
import { parseCertificatePems } from './x509/parse.js';

/** A root of the trust bundle, with what chain verification needs from it. */
export interface TrustAnchor {
  readonly certificate: X509Certificate;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly pathLength: number | undefined;
}

/**
 * The mesh's trust anchors, parsed once: peers are verified on every handshake, roots
 * change only when the control plane pushes a new bundle.
 */
export class TrustBundle {
  readonly #anchors: readonly TrustAnchor[];

  private constructor(anchors: readonly TrustAnchor[]) {
    this.#anchors = anchors;
  }

  /** From root PEMs (each text may hold several certificates), as `CertificateAuthority.trustBundle()` returns. */
  static fromPem(pems: string | readonly string[]): TrustBundle {
    const texts = typeof pems === 'string' ? [pems] : pems;
    const anchors = texts.flatMap((text, i) =>
      parseCertificatePems(text, `trust bundle entry ${i + 1}`).map((parsed): TrustAnchor => {
        if (!parsed.isCa) throw new InvalidCaCertificateError(`trust bundle entry ${i + 1}`, 'it holds a certificate that is not a CA');
        const certificate = new X509Certificate(parsed.der);
        return { certificate, publicKey: certificate.publicKey, notBefore: parsed.notBefore, notAfter: parsed.notAfter, pathLength: parsed.pathLength };
      }),
    );
    return new TrustBundle(anchors);
  }

  get size(): number {
    return this.#anchors.length;
  }

  /** The anchor that issued and signed `certificate`, if any. */
  issuerOf(certificate: X509Certificate): TrustAnchor | undefined {
    return this.#anchors.find((anchor) => certificate.checkIssued(anchor.certificate) && certificate.verify(anchor.publicKey));
  }
}
