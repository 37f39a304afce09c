import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, renewalTime, SpiffeId } from '@ambit/crypto';
import { AmbitError } from '@ambit/errors';
import { errorText, type Logger } from '@ambit/telemetry';
import { StageClosedError, type Runner } from '../runner.js';
import { RenewalTimer } from './renewal-timer.js';
import type { ServingCertificate, ServingCertificateListener, ServingCertificateSource } from './serving-certificate.js';

/** The service account of the control plane's own identity, as istiod's is `istiod`. */
export const CONTROL_PLANE_SERVICE_ACCOUNT = 'ambit-control-plane';

/**
 * Renewals are at least this far apart. A certificate's notBefore is backdated by a
 * minute for clock skew, so with a lifetime under two minutes its half-life is already
 * past when it is issued; this keeps such a (test) setting from renewing in a loop.
 */
const MIN_RENEWAL_INTERVAL_MS = 1000;
/** A failed renewal is retried this soon: the certificate in force is still valid for a while. */
const RENEWAL_RETRY_MS = 60_000;

export interface CaStageOptions {
  readonly trustDomain: string;
  /** The control plane's identity lives in the root namespace, as istiod's does. */
  readonly rootNamespace: string;
  /** Where the root is kept across restarts. */
  readonly caDir: string;
  /** Lifetime of certificates whose request names none, the control plane's own included. */
  readonly defaultTtlMs: number;
  readonly maxTtlMs: number;
  readonly log: Logger;
}

/**
 * The mesh CA and the control plane's own serving certificate. Opens the CA (generating
 * the root on first start, loading it later), issues the certificate for
 * `spiffe://<trust-domain>/ns/<root-namespace>/sa/ambit-control-plane` from a key made
 * here, and renews it at half-life, telling subscribers so that they rotate it in place.
 */
export class CaStage implements Runner, ServingCertificateSource {
  readonly name = 'ca';
  readonly identity: SpiffeId;
  readonly #options: CaStageOptions;
  readonly #listeners = new Set<ServingCertificateListener>();
  readonly #timer = new RenewalTimer(() => this.#renew(), MIN_RENEWAL_INTERVAL_MS);
  #authority: CertificateAuthority | undefined;
  #certificate: ServingCertificate | undefined;
  #starting: Promise<void> | undefined;
  #closed = false;

  constructor(options: CaStageOptions) {
    this.#options = options;
    this.identity = SpiffeId.of({ trustDomain: options.trustDomain, namespace: options.rootNamespace, serviceAccount: CONTROL_PLANE_SERVICE_ACCOUNT });
  }

  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#open();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#timer.cancel();
    this.#listeners.clear();
    return Promise.resolve();
  }

  /** The CA, for the certificate service that will sign workload CSRs. */
  get authority(): CertificateAuthority {
    if (this.#authority === undefined) throw new CaNotStartedError();
    return this.#authority;
  }

  current(): ServingCertificate {
    if (this.#certificate === undefined) throw new CaNotStartedError();
    return this.#certificate;
  }

  subscribe(listener: ServingCertificateListener): () => void {
    // A wrapper per subscription, so that subscribing one function twice is two subscriptions.
    const entry: ServingCertificateListener = (certificate) => listener(certificate);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  async #open(): Promise<void> {
    const { trustDomain, caDir, defaultTtlMs, maxTtlMs } = this.#options;
    const authority = await CertificateAuthority.create({ trustDomain, dir: caDir, defaultTtlMs, maxTtlMs });
    if (this.#closed) throw new StageClosedError(this.name);
    this.#authority = authority;
    this.#certificate = this.#issue(authority);
    this.#timer.schedule(renewalTime(this.#certificate));
  }

  #issue(authority: CertificateAuthority): ServingCertificate {
    // The key never leaves this process; the CA sees only the CSR, as for any workload.
    const { privateKey } = generateKeyPair();
    const signed = authority.sign(createCsr(privateKey, this.identity), { identity: this.identity });
    return {
      identity: this.identity.toString(),
      certChain: signed.certChain,
      privateKey: privateKeyToPem(privateKey),
      trustBundle: authority.trustBundle(),
      notBefore: signed.notBefore,
      notAfter: signed.notAfter,
      serialNumber: signed.serialNumber,
    };
  }

  #renew(): void {
    if (this.#closed || this.#authority === undefined) return;
    let renewed: ServingCertificate;
    try {
      renewed = this.#issue(this.#authority);
    } catch (error) {
      const retryAt = new Date(Math.min(Date.now() + RENEWAL_RETRY_MS, this.#certificate!.notAfter.getTime()));
      this.#options.log.error('renewing the serving certificate failed; retrying', { error: errorText(error), expires: this.#certificate?.notAfter.toISOString() });
      this.#timer.schedule(retryAt);
      return;
    }
    this.#certificate = renewed;
    this.#options.log.info('serving certificate renewed', { serial: renewed.serialNumber, expires: renewed.notAfter.toISOString() });
    for (const listener of [...this.#listeners]) {
      try {
        listener(renewed);
      } catch (error) {
        // One consumer failing to rotate must not keep the others on the old certificate.
        this.#options.log.error('a consumer of the serving certificate failed to rotate it', { error: errorText(error) });
      }
    }
    this.#timer.schedule(renewalTime(renewed));
  }
}

/** The CA stage was asked for its CA or certificate before it started: a wiring mistake. */
export class CaNotStartedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_CP_CA_NOT_STARTED', 'the CA stage has not started: its CA and serving certificate do not exist yet', {
      hint: 'start the stages in order (CA first) before reading them',
    });
  }
}
