import { X509Certificate } from 'node:crypto';
import { createCsr, generateKeyPair, privateKeyToPem, renewalTime, verifyPeerChain, type SpiffeId } from '@ambit/crypto';
import type { MeshTrust, WorkloadCertificate } from '@ambit/hbone';
import { errorText, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { Backoff, type CertificateRequest } from '@ambit/xds';
import { OwnCertificateError } from './errors.js';

/** What the certificate needs of the CA: libs/xds `CaClient`. */
export interface CertificateIssuer {
  createCertificate(request: CertificateRequest): Promise<readonly string[]>;
}

export interface OwnCertificateOptions {
  readonly identity: SpiffeId;
  /** The CA, reached with the node's token: the node may obtain identities of the pods scheduled on it, the proxy's among them. */
  readonly ca: CertificateIssuer;
  readonly trust: MeshTrust;
  readonly log?: Logger;
  /** Delays between failed requests: jittered, doubling from `initialMs` (1 s) up to `maxMs` (60 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** One held certificate, as the admin dump shows it. */
export interface CertificateDump {
  readonly identity: string;
  /** `Available`, `Initializing`, or `Unavailable: <why>`, as ztunnel's dump says. */
  readonly state: string;
  readonly serialNumber?: string;
  readonly validFrom?: string;
  readonly expirationTime?: string;
  /** PEM, leaf first. */
  readonly certChain: readonly string[];
}

interface Held {
  readonly certificate: WorkloadCertificate;
  readonly leaf: X509Certificate;
  readonly notAfter: number;
}

/** Istio's ztunnel names the identity it asks for on behalf of a workload in this metadata key; the node token asks for the proxy's. */
const IMPERSONATED_IDENTITY = 'ImpersonatedIdentity';

/**
 * A proxy's own certificate (waypoint, gateway): a P-256 key made here, a CSR for its
 * identity sent to the mesh CA, the chain checked against the mesh roots and the key,
 * renewed at half-life and retried with jittered backoff (the current one is served
 * until it expires). `onRenewed` listeners (the xDS credentials) get every new one.
 */
export class OwnCertificate {
  readonly identity: SpiffeId;
  readonly #options: OwnCertificateOptions;
  readonly #log: Logger;
  readonly #backoff: Backoff;
  readonly #listeners = new Set<(certificate: WorkloadCertificate) => void>();
  #held: Held | undefined;
  #failure: OwnCertificateError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #first: Promise<void> | undefined;
  #closed = false;

  constructor(options: OwnCertificateOptions) {
    this.identity = options.identity;
    this.#options = options;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#backoff = new Backoff(options.backoff?.initialMs ?? 1000, options.backoff?.maxMs ?? 60_000);
  }

  /** Resolves once the first certificate is held (retrying until then); rejects only when closed first. */
  start(): Promise<void> {
    this.#first ??= new Promise<void>((resolve, reject) => {
      const attempt = (): void => {
        if (this.#closed) return reject(new OwnCertificateError(this.identity.toString(), new Error('the proxy is shutting down')));
        this.#fetch().then(resolve, () => {
          this.#timer = setTimeout(attempt, this.#backoff.next()).unref();
        });
      };
      attempt();
    });
    return this.#first;
  }

  /** The certificate to present while it is valid. */
  current(): WorkloadCertificate | undefined {
    const held = this.#held;
    return held !== undefined && Date.now() < held.notAfter ? held.certificate : undefined;
  }

  onRenewed(listener: (certificate: WorkloadCertificate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  pending(): string | undefined {
    if (this.current() !== undefined) return undefined;
    if (this.#failure !== undefined) return this.#failure.message;
    return this.#held === undefined ? `requesting a certificate for ${this.identity.toString()}` : `the certificate expired at ${new Date(this.#held.notAfter).toISOString()}`;
  }

  dump(): CertificateDump {
    const held = this.#held;
    const identity = this.identity.toString();
    const pending = this.pending();
    if (held === undefined) return { identity, state: pending === undefined ? 'Initializing' : `Unavailable: ${pending}`, certChain: [] };
    return {
      identity,
      state: pending === undefined ? 'Available' : `Unavailable: ${pending}`,
      serialNumber: held.leaf.serialNumber.toLowerCase(),
      validFrom: new Date(held.leaf.validFrom).toISOString(),
      expirationTime: new Date(held.notAfter).toISOString(),
      certChain: typeof held.certificate.certChain === 'string' ? [held.certificate.certChain] : [...held.certificate.certChain],
    };
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  async #fetch(): Promise<void> {
    const identity = this.identity.toString();
    try {
      const { privateKey } = generateKeyPair();
      const chain = await this.#options.ca.createCertificate({ csrPem: createCsr(privateKey, this.identity), metadata: { [IMPERSONATED_IDENTITY]: identity } });
      const certificates = chain.map((pem) => new X509Certificate(pem));
      const verified = verifyPeerChain(certificates, { trustBundle: this.#options.trust.bundle, allowedIdentities: [this.identity] });
      if (!certificates[0]!.checkPrivateKey(privateKey)) throw new Error('the issued certificate does not certify the key of the request');
      if (this.#closed) return;
      const renewed = this.#held !== undefined;
      const leaf = certificates[0]!;
      this.#held = { certificate: { certChain: chain, privateKey: privateKeyToPem(privateKey) }, leaf, notAfter: verified.notAfter.getTime() };
      this.#failure = undefined;
      this.#backoff.reset();
      const renewAt = renewalTime(leaf).getTime();
      this.#log.info(renewed ? 'certificate renewed' : 'certificate issued', { identity, serial: leaf.serialNumber.toLowerCase(), expires: new Date(this.#held.notAfter).toISOString(), renews: new Date(renewAt).toISOString() });
      for (const listener of [...this.#listeners]) listener(this.#held.certificate);
      this.#schedule(renewAt - Date.now());
    } catch (error) {
      const failure = error instanceof OwnCertificateError ? error : new OwnCertificateError(identity, error);
      this.#failure = failure;
      this.#log.warn(this.current() === undefined ? 'certificate request failed' : 'certificate renewal failed; serving the current one until it expires', { identity, error: errorText(failure) });
      // After the first certificate, renewal retries itself; before it, start() does.
      if (this.#held !== undefined) this.#schedule(this.#backoff.next());
      throw failure;
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    // setTimeout's longest delay; a later renewal simply asks early, which the CA allows.
    this.#timer = setTimeout(() => void this.#fetch().catch(() => undefined), Math.min(Math.max(0, delayMs), 2 ** 31 - 1)).unref();
  }
}
