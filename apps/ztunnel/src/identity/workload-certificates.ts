import { createCsr, generateKeyPair, SpiffeId } from '@ambit/crypto';
import type { MeshTrust, WorkloadCertificate } from '@ambit/hbone';
import { errorText, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { Backoff, type CertificateRequest } from '@ambit/xds';
import type { StateView } from '../state/index.js';
import { dumpCertificate, pemCertificates, type CertificateSource, type CertificatesDump } from './certificate-source.js';
import { MAX_TIMER_MS, SYSTEM_CLOCK, type Clock } from './clock.js';
import { CertificateManagerClosedError, CertificateManagerOptionError, WorkloadCertificateError } from './errors.js';
import { IssuedCertificate } from './issued-certificate.js';

/** What the manager needs of the CA: libs/xds `CaClient` (a fake in unit tests). */
export interface CertificateIssuer {
  createCertificate(request: CertificateRequest): Promise<readonly string[]>;
}

export interface WorkloadCertificatesOptions {
  /** The mesh CA, reached with ztunnel's xDS credentials (`new CaClient({ target, credentials })`). */
  readonly ca: CertificateIssuer;
  /** ztunnel's state: the workloads whose `node` is `nodeName` are the ones certificates are kept for. */
  readonly state: StateView;
  readonly nodeName: string;
  /** The mesh roots: an issued chain must verify against them. */
  readonly trust: MeshTrust;
  /** Default: nothing is logged. */
  readonly log?: Logger;
  /** Delays between failed requests: jittered, doubling from `initialMs` (1 s) up to `maxMs` (60 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Requests to the CA in flight at once (8, as ztunnel); the others wait, on-demand ones first. */
  readonly maxConcurrentRequests?: number;
  /** Default: the system clock and setTimeout. */
  readonly clock?: Clock;
  /** The backoff's jitter source (default Math.random). */
  readonly random?: () => number;
}

/** Istio's ztunnel names the identity it asks for on behalf of a workload in this metadata key. */
const IMPERSONATED_IDENTITY = 'ImpersonatedIdentity';

/** One identity's certificate, its request in flight or its failure, and its next renewal or retry. */
interface Entry {
  readonly name: string;
  readonly id: SpiffeId;
  readonly backoff: Backoff;
  held: IssuedCertificate | undefined;
  fetch: Promise<IssuedCertificate> | undefined;
  /** The last request's failure; cleared by a success. */
  failure: WorkloadCertificateError | undefined;
  cancelTimer: (() => void) | undefined;
}

/** A request waiting for a free slot. */
interface Waiting {
  readonly entry: Entry;
  readonly start: () => void;
}

/**
 * ztunnel's workload certificate manager (Istio ztunnel's SecretManager). For every
 * identity of an HBONE workload on this node it makes a P-256 key here, sends a CSR to
 * the CA and keeps the chain; it fetches as soon as such a workload appears in the state,
 * renews at half-life and retries failures with jittered exponential backoff, serving
 * the current certificate until it expires. Concurrent requests for one identity share
 * one CSR. An identity the CA refuses for this node (PERMISSION_DENIED) is not asked
 * again until the workloads change; identities no local workload uses are forgotten.
 */
export class WorkloadCertificates implements CertificateSource {
  readonly name = 'workloads';
  readonly #ca: CertificateIssuer;
  readonly #state: StateView;
  readonly #nodeName: string;
  readonly #trust: MeshTrust;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #maxActive: number;
  readonly #entries = new Map<string, Entry>();
  readonly #waiting: Waiting[] = [];
  readonly #closing = new AbortController();
  /** The identities local workloads use, as of the last state change. */
  #wanted: ReadonlySet<string> = new Set();
  #active = 0;
  #unsubscribe: (() => void) | undefined;

  constructor(options: WorkloadCertificatesOptions) {
    this.#ca = options.ca;
    this.#state = options.state;
    this.#trust = options.trust;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#random = options.random ?? Math.random;
    if (options.nodeName === '') throw new CertificateManagerOptionError('nodeName', '""', 'must name the node whose workloads get certificates');
    this.#nodeName = options.nodeName;
    this.#initialMs = positiveInteger('backoff.initialMs', options.backoff?.initialMs ?? 1000);
    this.#maxMs = positiveInteger('backoff.maxMs', options.backoff?.maxMs ?? 60_000);
    if (this.#maxMs < this.#initialMs) throw new CertificateManagerOptionError('backoff.maxMs', String(this.#maxMs), `must be at least backoff.initialMs (${this.#initialMs})`);
    this.#maxActive = positiveInteger('maxConcurrentRequests', options.maxConcurrentRequests ?? 8);
  }

  /** Starts following the state: certificates are fetched for the local workloads known now and for each that appears. */
  start(): void {
    if (this.#closing.signal.aborted || this.#unsubscribe !== undefined) return;
    this.#unsubscribe = this.#state.onChange(() => this.#sync());
    this.#sync();
  }

  /** Stops renewing; requests still waiting are rejected with CertificateManagerClosedError. */
  close(): void {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new CertificateManagerClosedError());
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const entry of this.#entries.values()) entry.cancelTimer?.();
    this.#entries.clear();
    // Queued requests start only to fail at once, so that nothing waits on them.
    for (const waiting of this.#waiting.splice(0)) waiting.start();
  }

  /**
   * The certificate of `spiffeId`: the one held while it is valid, else the result of a
   * request (a new one, or the one in flight). Rejects with the last WorkloadCertificateError
   * when the last request failed and the next one is not due yet (ztunnel does the same,
   * so that connections do not turn into a storm of CSRs), with InvalidSpiffeIdError for
   * something that is not a SPIFFE ID, and with `signal`'s reason when it aborts.
   */
  forIdentity(spiffeId: string, signal?: AbortSignal): Promise<WorkloadCertificate> {
    try {
      if (this.#closing.signal.aborted) throw new CertificateManagerClosedError();
      signal?.throwIfAborted();
      const entry = this.#entries.get(spiffeId) ?? this.#create(spiffeId);
      const held = entry.held;
      if (held?.validAt(this.#clock.now())) return Promise.resolve(held.certificate);
      if (entry.fetch === undefined && entry.failure !== undefined) throw entry.failure;
      return this.#waitFor(this.#request(entry, true), signal).then((issued) => issued.certificate);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The valid certificate held for `spiffeId`, if any; never starts a request (for TLS servers picking a certificate). */
  current(spiffeId: string): WorkloadCertificate | undefined {
    const held = this.#entries.get(spiffeId)?.held;
    return held?.validAt(this.#clock.now()) ? held.certificate : undefined;
  }

  pending(): string | undefined {
    if (this.#unsubscribe === undefined) return this.#closing.signal.aborted ? 'closed' : 'not started';
    const now = this.#clock.now();
    const missing = [...this.#wanted].filter((name) => !(this.#entries.get(name)?.held?.validAt(now) ?? false)).sort();
    const [first] = missing;
    if (first === undefined) return undefined;
    return `${missing.length} of ${this.#wanted.size} local identities have no certificate yet (${first}: ${this.#stateOf(this.#entries.get(first), now)})`;
  }

  dump(): readonly CertificatesDump[] {
    const now = this.#clock.now();
    const rootCerts = pemCertificates(this.#trust.pem).map(dumpCertificate);
    return [...this.#entries.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((entry) => ({ identity: entry.name, state: this.#stateOf(entry, now), certChain: entry.held?.dumpChain() ?? [], rootCerts }));
  }

  /** Follows the state: fetches for new local identities, asks again for refused ones, forgets unused ones. */
  #sync(): void {
    const wanted = new Set(
      this.#state.workloads
        .onNode(this.#nodeName)
        // As ztunnel: a workload outside the mesh (plain TCP) is never reached over HBONE, so it needs no certificate.
        .filter((workload) => workload.protocol === 'HBONE')
        .map((workload) => workload.identity),
    );
    this.#wanted = wanted;
    for (const entry of this.#entries.values()) {
      if (!wanted.has(entry.name)) this.#forget(entry);
    }
    for (const name of wanted) {
      const known = this.#entries.get(name);
      try {
        if (known === undefined) void this.#request(this.#create(name), false);
        // The workloads changed, so the CA's answer may too.
        else if (known.failure?.denied === true && known.fetch === undefined) void this.#request(known, false);
      } catch (error) {
        this.#log.warn('a local workload has an identity that is not a SPIFFE ID; no certificate is requested for it', { identity: name, error: errorText(error) });
      }
    }
  }

  #create(name: string): Entry {
    const entry: Entry = { name, id: SpiffeId.parse(name), backoff: new Backoff(this.#initialMs, this.#maxMs, this.#random), held: undefined, fetch: undefined, failure: undefined, cancelTimer: undefined };
    this.#entries.set(name, entry);
    return entry;
  }

  #forget(entry: Entry): void {
    entry.cancelTimer?.();
    this.#entries.delete(entry.name);
    this.#log.debug('workload certificate forgotten: no local workload uses the identity', { identity: entry.name });
  }

  /** The request in flight for `entry`, or a new one; an urgent one (someone waits on it) goes ahead of renewals. */
  #request(entry: Entry, urgent: boolean): Promise<IssuedCertificate> {
    if (entry.fetch !== undefined) {
      if (urgent) this.#promote(entry);
      return entry.fetch;
    }
    entry.cancelTimer?.();
    entry.cancelTimer = undefined;
    const fetch = this.#slot(entry, urgent).then(async (release) => {
      try {
        return await this.#issue(entry);
      } finally {
        release();
      }
    });
    entry.fetch = fetch;
    // Registered before any waiter's handler, so the entry is up to date when waiters resume.
    fetch.then(
      (issued) => this.#succeeded(entry, fetch, issued),
      (error: unknown) => this.#failed(entry, fetch, error),
    );
    return fetch;
  }

  /** Resolves with the function that frees the slot, once fewer than `maxConcurrentRequests` are in flight. */
  #slot(entry: Entry, urgent: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      const start = (): void => {
        this.#active++;
        resolve(() => {
          this.#active--;
          this.#pump();
        });
      };
      if (this.#active < this.#maxActive) start();
      else if (urgent) this.#waiting.unshift({ entry, start });
      else this.#waiting.push({ entry, start });
    });
  }

  #pump(): void {
    while (this.#active < this.#maxActive) {
      const next = this.#waiting.shift();
      if (next === undefined) return;
      next.start();
    }
  }

  #promote(entry: Entry): void {
    const index = this.#waiting.findIndex((waiting) => waiting.entry === entry);
    if (index > 0) this.#waiting.unshift(...this.#waiting.splice(index, 1));
  }

  /** One CSR: a fresh key made here (it never leaves the node), the CA's chain checked against the roots and the key. */
  async #issue(entry: Entry): Promise<IssuedCertificate> {
    if (this.#closing.signal.aborted) throw new CertificateManagerClosedError();
    const { privateKey } = generateKeyPair();
    let chain: readonly string[];
    try {
      chain = await this.#ca.createCertificate({ csrPem: createCsr(privateKey, entry.id), metadata: { [IMPERSONATED_IDENTITY]: entry.name } });
    } catch (error) {
      throw new WorkloadCertificateError(entry.name, error);
    }
    try {
      return IssuedCertificate.check(entry.id, chain, privateKey, this.#trust, this.#clock.now());
    } catch (error) {
      throw new WorkloadCertificateError(entry.name, new Error(`the chain the CA returned cannot be used: ${errorText(error)}`, { cause: error }));
    }
  }

  #succeeded(entry: Entry, fetch: Promise<IssuedCertificate>, issued: IssuedCertificate): void {
    if (!this.#settled(entry, fetch)) return;
    const renewed = entry.held !== undefined;
    entry.held = issued;
    entry.failure = undefined;
    entry.backoff.reset();
    this.#log.info(renewed ? 'workload certificate renewed' : 'workload certificate issued', {
      identity: entry.name,
      serial: issued.serialNumber,
      expires: new Date(issued.notAfter).toISOString(),
      renews: new Date(issued.renewAt).toISOString(),
    });
    this.#scheduleAt(entry, issued.renewAt);
  }

  #failed(entry: Entry, fetch: Promise<IssuedCertificate>, error: unknown): void {
    if (!this.#settled(entry, fetch)) return;
    const failure = error instanceof WorkloadCertificateError ? error : new WorkloadCertificateError(entry.name, error);
    entry.failure = failure;
    if (failure.denied) {
      this.#log.warn('the CA refused a workload identity for this node; not asked again until the workloads change', { identity: entry.name, error: errorText(failure) });
      return;
    }
    const now = this.#clock.now();
    const delay = entry.backoff.next();
    const serving = entry.held?.validAt(now) === true;
    this.#log.warn(serving ? 'workload certificate renewal failed; serving the current one until it expires' : 'workload certificate request failed', {
      identity: entry.name,
      error: errorText(failure),
      retry_in_ms: delay,
      ...(serving ? { expires: new Date(entry.held!.notAfter).toISOString() } : {}),
    });
    this.#scheduleAt(entry, now + delay);
  }

  /** Clears the finished request; whether its result still matters (the identity was not forgotten meanwhile). */
  #settled(entry: Entry, fetch: Promise<IssuedCertificate>): boolean {
    if (entry.fetch === fetch) entry.fetch = undefined;
    return !this.#closing.signal.aborted && this.#entries.get(entry.name) === entry;
  }

  /** Requests again at `at`; a time beyond setTimeout's range is reached in steps. */
  #scheduleAt(entry: Entry, at: number): void {
    entry.cancelTimer?.();
    const arm = (): void => {
      entry.cancelTimer = this.#clock.schedule(Math.min(MAX_TIMER_MS, Math.max(0, at - this.#clock.now())), () => {
        entry.cancelTimer = undefined;
        if (this.#clock.now() < at) arm();
        else void this.#request(entry, false);
      });
    };
    arm();
  }

  /** Settles with `promise`, or rejects when `signal` aborts or the manager closes first; the shared request goes on. */
  #waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const signals = signal === undefined ? [this.#closing.signal] : [signal, this.#closing.signal];
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        for (const each of signals) each.removeEventListener('abort', onAbort);
      };
      const onAbort = (event: Event): void => {
        done();
        reject((event.target as AbortSignal).reason);
      };
      for (const each of signals) each.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /** ztunnel's CertsDump state. */
  #stateOf(entry: Entry | undefined, now: number): string {
    if (entry?.held?.validAt(now) === true) return 'Available';
    if (entry?.failure !== undefined) return `Unavailable: ${entry.failure.message}`;
    if (entry?.held !== undefined) return `Unavailable: the certificate expired at ${new Date(entry.held.notAfter).toISOString()}`;
    return 'Initializing';
  }
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CertificateManagerOptionError(option, String(value), 'must be a positive whole number');
  return value;
}
