import { CertificateAuthority, createCsr, generateKeyPair, SpiffeId } from '@ambit/crypto';
import { MeshTrust } from '@ambit/hbone';
import { CertificateRequestError, GrpcStatus, type CertificateRequest } from '@ambit/xds';
import type { CertificateIssuer } from '../workload-certificates.js';

/**
 * An in-process CA behind the `CertificateIssuer` interface, for unit tests of renewal
 * and backoff: it signs with a real CertificateAuthority (dated by the faked Date), and
 * can be made to refuse, to fail, or to hold answers until released.
 */
export class FakeCa implements CertificateIssuer {
  readonly requests: CertificateRequest[] = [];
  readonly trust: MeshTrust;
  /** Identities answered with PERMISSION_DENIED, as the real CA answers for another node's workloads. */
  readonly denied = new Set<string>();
  /** While set, every call fails with this gRPC status (UNAVAILABLE: the control plane is down). */
  failing: number | undefined;
  /** Replaces the chain the CA signed (to hand out one that must not be accepted). */
  tamper: ((chain: readonly string[]) => readonly string[]) | undefined;
  readonly #ca: CertificateAuthority;
  #gate: { promise: Promise<void>; release: () => void } | undefined;

  private constructor(ca: CertificateAuthority) {
    this.#ca = ca;
    this.trust = new MeshTrust(ca.trustBundle());
  }

  static async create(ttlMs = 3600_000): Promise<FakeCa> {
    return new FakeCa(await CertificateAuthority.create({ trustDomain: 'cluster.local', defaultTtlMs: ttlMs }));
  }

  /** Calls wait until the returned function is called. */
  hold(): () => void {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.#gate = { promise, release };
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  /** A chain this CA signs for `identity`, for a key nobody else has. */
  signFor(identity: string): readonly string[] {
    const id = SpiffeId.parse(identity);
    return this.#ca.sign(createCsr(generateKeyPair().privateKey, id), { identity: id }).certChain;
  }

  async createCertificate(request: CertificateRequest): Promise<readonly string[]> {
    this.requests.push(request);
    if (this.#gate !== undefined) await this.#gate.promise;
    if (this.failing !== undefined) throw new CertificateRequestError('fake-ca', this.failing, 'the CA is down');
    const identity = request.metadata?.['ImpersonatedIdentity'] ?? '';
    if (this.denied.has(identity)) throw new CertificateRequestError('fake-ca', GrpcStatus.PERMISSION_DENIED, `no workload of ${identity} on this node`);
    const chain = this.#ca.sign(request.csrPem, { identity: SpiffeId.parse(identity) }).certChain;
    return this.tamper === undefined ? chain : this.tamper(chain);
  }
}
