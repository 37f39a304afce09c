import { createPrivateKey, X509Certificate } from 'node:crypto';
import { GrpcStatus } from '@ambit/xds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProxyState } from '../state/index.js';
import { workload } from '../state/__support__/resources.js';
import { FakeCa } from './__support__/fake-ca.js';
import { ManualClock } from './__support__/manual-clock.js';
import { CertificateManagerClosedError, CertificateManagerOptionError, WorkloadCertificateError } from './errors.js';
import { WorkloadCertificates, type WorkloadCertificatesOptions } from './workload-certificates.js';

const HOUR = 3600_000;
const id = (namespace: string, sa: string): string => `spiffe://cluster.local/ns/${namespace}/sa/${sa}`;
const REVIEWS = id('bookinfo', 'reviews');
const RATINGS = id('bookinfo', 'ratings');

/** A pod of service account `namespace/sa`, on node-a unless told otherwise. */
const pod = (name: string, namespace: string, sa: string, extra: { node?: string; hbone?: boolean } = {}) => workload(name, { namespace, ...extra, overrides: { serviceAccount: sa } });

let clock: ManualClock;
let ca: FakeCa;
let state: ProxyState;
const managers: WorkloadCertificates[] = [];

beforeEach(async () => {
  // On a whole second, as the CA dates certificates, so that renewal times are exact.
  vi.useFakeTimers({ toFake: ['Date'], now: Math.ceil(Date.now() / 1000) * 1000 });
  clock = new ManualClock();
  ca = await FakeCa.create(2 * HOUR);
  state = new ProxyState();
});

afterEach(() => {
  for (const manager of managers.splice(0)) manager.close();
  vi.useRealTimers();
});

function manager(options: Partial<WorkloadCertificatesOptions> = {}): WorkloadCertificates {
  // random 1: each backoff delay is the full exponential step, so the tests can name it.
  const created = new WorkloadCertificates({ ca, state: state.view, nodeName: 'node-a', trust: ca.trust, clock, random: () => 1, backoff: { initialMs: 1000, maxMs: 8000 }, ...options });
  managers.push(created);
  return created;
}

/** Lets the fake CA's answers (promise callbacks) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function serialOf(certificate: { certChain: string | readonly string[] } | undefined): string {
  const chain = certificate!.certChain;
  return new X509Certificate(typeof chain === 'string' ? chain : chain[0]!).serialNumber;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('WorkloadCertificates', () => {
  it('fetches for the HBONE workloads on its node at start and as they appear, and is pending until it holds them all', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews'), pod('r2', 'bookinfo', 'reviews'), pod('elsewhere', 'bookinfo', 'details', { node: 'node-b' }), pod('plain', 'legacy', 'web', { hbone: false })], removed: [] });
    const certificates = manager();
    expect(certificates.pending()).toBe('not started');
    const release = ca.hold();
    certificates.start();
    await settle();
    // Two pods of one service account: one identity, one CSR; nothing for node-b's workload or the plain-TCP one.
    expect(ca.requests.map((request) => request.metadata)).toEqual([{ ImpersonatedIdentity: REVIEWS }]);
    expect(certificates.pending()).toBe(`1 of 1 local identities have no certificate yet (${REVIEWS}: Initializing)`);
    release();
    await settle();
    expect(certificates.pending()).toBeUndefined();

    state.applyAddresses({ upserted: [pod('ratings', 'bookinfo', 'ratings')], removed: [] });
    expect(certificates.pending()).toMatch(/^1 of 2 local identities have no certificate yet \(spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/ratings: Initializing\)$/);
    await settle();
    expect(certificates.pending()).toBeUndefined();
    expect(ca.requests).toHaveLength(2);

    // The key was made here: the certificate certifies it, and carries exactly the identity.
    const reviews = certificates.current(REVIEWS)!;
    const leaf = new X509Certificate(typeof reviews.certChain === 'string' ? reviews.certChain : reviews.certChain[0]!);
    expect(leaf.checkPrivateKey(createPrivateKey(reviews.privateKey))).toBe(true);
    expect(leaf.subjectAltName).toBe(`URI:${REVIEWS}`);
    // Asking again is answered from what is held.
    expect(await certificates.forIdentity(REVIEWS)).toBe(reviews);
    expect(ca.requests).toHaveLength(2);

    const dump = certificates.dump();
    expect(dump.map((entry) => [entry.identity, entry.state, entry.certChain.length, entry.rootCerts.length])).toEqual([
      [RATINGS, 'Available', 1, 1],
      [REVIEWS, 'Available', 1, 1],
    ]);
    expect(Date.parse(dump[1]!.certChain[0]!.expirationTime)).toBe(Math.floor((Date.now() + 2 * HOUR) / 1000) * 1000);
  });

  it('shares one CSR among concurrent requests for an identity, and fetches on demand one no workload has yet', async () => {
    const certificates = manager();
    certificates.start();
    const release = ca.hold();
    const asked = [certificates.forIdentity(REVIEWS), certificates.forIdentity(REVIEWS), certificates.forIdentity(REVIEWS)];
    await settle();
    expect(ca.requests).toHaveLength(1);
    expect(certificates.current(REVIEWS)).toBeUndefined();
    expect(certificates.dump().map((entry) => entry.state)).toEqual(['Initializing']);
    release();
    const [first, ...others] = await Promise.all(asked);
    expect(others.every((other) => other === first)).toBe(true);
    expect(certificates.current(REVIEWS)).toBe(first);
  });

  it('renews at half-life, serving the current certificate until the new one is there', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    const before = certificates.current(REVIEWS)!;
    // Issued now minus the CA's minute of clock skew, for two hours: half-life is 59.5 minutes from now.
    expect(clock.nextAt! - Date.now()).toBe(HOUR - 30_000);
    clock.advance(HOUR - 30_001);
    expect(ca.requests).toHaveLength(1);
    const release = ca.hold();
    clock.advance(1);
    await settle();
    expect(ca.requests).toHaveLength(2);
    expect(certificates.current(REVIEWS)).toBe(before);
    release();
    await settle();
    const after = certificates.current(REVIEWS)!;
    expect(serialOf(after)).not.toBe(serialOf(before));
    expect(after.privateKey).not.toBe(before.privateKey);
    expect(certificates.dump()[0]!.state).toBe('Available');
  });

  it('retries a failed renewal with growing backoff while serving the current certificate, and starts over after a success', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    const held = certificates.current(REVIEWS)!;
    ca.failing = GrpcStatus.UNAVAILABLE;
    clock.advance(clock.nextAt! - Date.now());
    await settle();
    expect(ca.requests).toHaveLength(2);
    // The control plane is down: the certificate is still valid, so it is still served and shown Available.
    expect(certificates.current(REVIEWS)).toBe(held);
    expect(await certificates.forIdentity(REVIEWS)).toBe(held);
    expect(certificates.dump()[0]!.state).toBe('Available');
    expect(certificates.pending()).toBeUndefined();

    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = clock.nextAt! - Date.now();
      delays.push(next);
      clock.advance(next - 1);
      await settle();
      expect(ca.requests).toHaveLength(2 + attempt);
      clock.advance(1);
      await settle();
      expect(ca.requests).toHaveLength(3 + attempt);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);

    ca.failing = undefined;
    clock.advance(clock.nextAt! - Date.now());
    await settle();
    expect(serialOf(certificates.current(REVIEWS))).not.toBe(serialOf(held));
    // Renewed: the next attempt is at the new certificate's half-life, and a later failure starts from the initial delay.
    expect(clock.nextAt! - Date.now()).toBe(HOUR - 30_000);
    ca.failing = GrpcStatus.UNAVAILABLE;
    clock.advance(HOUR - 30_000);
    await settle();
    expect(clock.nextAt! - Date.now()).toBe(1000);
  });

  it('stops serving a certificate that expired while the CA was unreachable, and says why', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    ca.failing = GrpcStatus.UNAVAILABLE;
    for (let i = 0; i < 20 && certificates.current(REVIEWS) !== undefined; i++) {
      clock.advance(10 * 60_000);
      await settle();
    }
    expect(certificates.current(REVIEWS)).toBeUndefined();
    const [entry] = certificates.dump();
    expect(entry!.state).toMatch(/^Unavailable: no certificate for spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/reviews: CreateCertificate at fake-ca failed: UNAVAILABLE: the CA is down$/);
    expect(entry!.certChain).toHaveLength(1);
    expect(certificates.pending()).toMatch(/^1 of 1 local identities have no certificate yet \(.+: Unavailable: /);
    // No CSR storm: a connection is refused with the last failure until the next retry is due.
    const requests = ca.requests.length;
    const error = await rejection(certificates.forIdentity(REVIEWS));
    expect(error).toBeInstanceOf(WorkloadCertificateError);
    expect(ca.requests).toHaveLength(requests);

    ca.failing = undefined;
    clock.advance(clock.nextAt! - Date.now());
    await settle();
    expect(certificates.current(REVIEWS)).toBeDefined();
    expect(certificates.pending()).toBeUndefined();
  });

  it('does not ask again for an identity the CA refuses for this node until the workloads change', async () => {
    ca.denied.add(REVIEWS);
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    expect(clock.pending).toBe(0);
    clock.advance(24 * HOUR);
    expect(ca.requests).toHaveLength(1);
    const error = await rejection(certificates.forIdentity(REVIEWS));
    expect(error).toMatchObject({ code: 'AMBIT_ERR_ZTUNNEL_WORKLOAD_CERT', identity: REVIEWS, denied: true });
    expect((error as Error).message).toMatch(/PERMISSION_DENIED: no workload of .+ on this node/);
    expect((error as WorkloadCertificateError).hint).toMatch(/spec\.nodeName/);
    expect(ca.requests).toHaveLength(1);
    expect(certificates.dump()[0]!.state).toMatch(/^Unavailable: no certificate for .+PERMISSION_DENIED/);

    // A CSR for an identity of another node's workload: refused, remembered, and forgotten at the next change.
    ca.denied.add(RATINGS);
    expect(await rejection(certificates.forIdentity(RATINGS))).toMatchObject({ denied: true });
    expect(await rejection(certificates.forIdentity(RATINGS))).toMatchObject({ denied: true });
    expect(ca.requests).toHaveLength(2);

    ca.denied.clear();
    state.applyAddresses({ upserted: [pod('r2', 'bookinfo', 'reviews')], removed: [] });
    await settle();
    expect(ca.requests.map((request) => request.metadata?.['ImpersonatedIdentity'])).toEqual([REVIEWS, RATINGS, REVIEWS]);
    expect(certificates.dump().map((entry) => [entry.identity, entry.state])).toEqual([[REVIEWS, 'Available']]);
  });

  it('forgets an identity once no local workload uses it, even with its request in flight', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews'), pod('ratings', 'bookinfo', 'ratings')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    expect(clock.pending).toBe(2);
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/bookinfo/ratings'] });
    expect(certificates.dump().map((entry) => entry.identity)).toEqual([REVIEWS]);
    expect(certificates.current(RATINGS)).toBeUndefined();
    expect(clock.pending).toBe(1);

    const release = ca.hold();
    const asked = certificates.forIdentity(RATINGS);
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/bookinfo/r1'] });
    release();
    // The caller gets what it asked for; nothing is kept or renewed.
    expect((await asked).privateKey).toMatch(/BEGIN PRIVATE KEY/);
    await settle();
    expect(certificates.dump()).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('bounds the CSRs in flight, serving on-demand requests before prefetches', async () => {
    const release = ca.hold();
    state.applyAddresses({ upserted: ['a', 'b', 'c', 'd'].map((sa) => pod(sa, 'ns', sa)), removed: [] });
    const certificates = manager({ maxConcurrentRequests: 2 });
    certificates.start();
    await settle();
    expect(ca.requests).toHaveLength(2);
    const urgent = certificates.forIdentity(id('ns', 'd'));
    release();
    await urgent;
    await settle();
    expect(ca.requests.map((request) => request.metadata?.['ImpersonatedIdentity'])).toEqual(['a', 'b', 'd', 'c'].map((sa) => id('ns', sa)));
    expect(certificates.pending()).toBeUndefined();
  });

  it("refuses a chain that does not verify against the mesh roots or does not certify the node's key, and retries", async () => {
    const rogueCa = await FakeCa.create();
    ca.tamper = () => rogueCa.signFor(REVIEWS);
    const certificates = manager();
    certificates.start();
    const rogue = await rejection(certificates.forIdentity(REVIEWS));
    expect(rogue).toBeInstanceOf(WorkloadCertificateError);
    expect((rogue as Error).message).toMatch(/the chain the CA returned cannot be used: /);
    expect(clock.nextAt! - Date.now()).toBe(1000);

    // Signed by the right CA, but for a key this node did not make.
    ca.tamper = () => ca.signFor(REVIEWS);
    clock.advance(1000);
    await settle();
    expect(certificates.dump()[0]!.state).toMatch(/does not certify the key of the request/);
    expect(certificates.current(REVIEWS)).toBeUndefined();
  });

  it('rejects waiters and stops its timers when closed, and after', async () => {
    state.applyAddresses({ upserted: [pod('r1', 'bookinfo', 'reviews')], removed: [] });
    const certificates = manager();
    certificates.start();
    await settle();
    const release = ca.hold();
    const waiting = certificates.forIdentity(RATINGS);
    const controller = new AbortController();
    const aborted = certificates.forIdentity(id('ns', 'x'), controller.signal);
    controller.abort(new Error('the connection went away'));
    expect(await rejection(aborted)).toMatchObject({ message: 'the connection went away' });
    certificates.close();
    expect(await rejection(waiting)).toBeInstanceOf(CertificateManagerClosedError);
    expect(await rejection(certificates.forIdentity(REVIEWS))).toBeInstanceOf(CertificateManagerClosedError);
    expect(clock.pending).toBe(0);
    expect(certificates.pending()).toBe('closed');
    release();
    await settle();
    expect(certificates.dump()).toEqual([]);
  });

  it('checks its options, and refuses what is not a SPIFFE ID', async () => {
    expect(() => manager({ nodeName: '' })).toThrow(CertificateManagerOptionError);
    expect(() => manager({ backoff: { initialMs: 0 } })).toThrow(/backoff\.initialMs = 0 must be a positive whole number/);
    expect(() => manager({ backoff: { initialMs: 5000, maxMs: 1000 } })).toThrow(/backoff\.maxMs = 1000 must be at least backoff\.initialMs \(5000\)/);
    expect(() => manager({ maxConcurrentRequests: 1.5 })).toThrow(/maxConcurrentRequests/);
    const certificates = manager();
    certificates.start();
    expect(await rejection(certificates.forIdentity('reviews'))).toMatchObject({ code: 'AMBIT_ERR_CRYPTO_SPIFFE_ID' });
    expect(ca.requests).toEqual([]);
  });
});
