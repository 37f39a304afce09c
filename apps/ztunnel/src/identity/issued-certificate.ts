import { X509Certificate, type KeyObject } from 'node:crypto';
import { privateKeyToPem, renewalTime, verifyPeerChain, type SpiffeId } from '@ambit/crypto';
import type { MeshTrust, WorkloadCertificate } from '@ambit/hbone';
import { dumpCertificate, type CertificateDump } from './certificate-source.js';

/**
 * A certificate the CA issued for one identity, checked before it is used: the chain
 * verifies against the mesh roots, the leaf carries exactly that identity and certifies
 * the key made on this node. Immutable: a renewal is a new object, so TLS contexts cached
 * by certificate (libs/hbone) are rebuilt.
 */
export class IssuedCertificate {
  /** What TLS servers and the HBONE pool are handed. */
  readonly certificate: WorkloadCertificate;
  readonly notAfter: number;
  /** Half-life: when renewal starts. */
  readonly renewAt: number;
  readonly serialNumber: string;
  readonly #chain: readonly X509Certificate[];

  private constructor(certificate: WorkloadCertificate, chain: readonly X509Certificate[], notAfter: number, renewAt: number) {
    this.certificate = certificate;
    this.#chain = chain;
    this.notAfter = notAfter;
    this.renewAt = renewAt;
    this.serialNumber = chain[0]!.serialNumber.toLowerCase();
  }

  /** Checks what the CA returned (leaf first); throws a libs/crypto error saying what is wrong. */
  static check(identity: SpiffeId, certChain: readonly string[], privateKey: KeyObject, trust: MeshTrust, now: number): IssuedCertificate {
    const chain = certChain.map((pem) => new X509Certificate(pem));
    const verified = verifyPeerChain(chain, { trustBundle: trust.bundle, at: new Date(now), allowedIdentities: [identity] });
    if (!chain[0]!.checkPrivateKey(privateKey)) throw new Error('the issued certificate does not certify the key of the request');
    return new IssuedCertificate({ certChain: certChain, privateKey: privateKeyToPem(privateKey) }, chain, verified.notAfter.getTime(), renewalTime(chain[0]!).getTime());
  }

  /** Whether it may still be presented: an expired certificate would be refused by every peer. */
  validAt(now: number): boolean {
    return now < this.notAfter;
  }

  /** Leaf and intermediates, as ztunnel's dump lists them (the roots are listed apart). */
  dumpChain(): CertificateDump[] {
    return this.#chain.filter((certificate) => !isSelfSigned(certificate)).map(dumpCertificate);
  }
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
}
