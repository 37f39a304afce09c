import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustBundle, verifyPeerChain } from '@ambit/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { CaNotStartedError, CaStage, type CaStageOptions } from './ca-stage.js';
import type { ServingCertificate } from './serving-certificate.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stage(options: Partial<CaStageOptions> = {}): Promise<CaStage> {
  let caDir = options.caDir;
  if (caDir === undefined) {
    const root = await mkdtemp(join(tmpdir(), 'ambit-ca-stage-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    caDir = join(root, 'ca');
  }
  const ca = new CaStage({ trustDomain: 'cluster.local', rootNamespace: 'istio-system', defaultTtlMs: 24 * 3600_000, maxTtlMs: 90 * 24 * 3600_000, log: SILENT_LOGGER, ...options, caDir });
  cleanups.push(() => ca.close());
  return ca;
}

describe('CaStage', () => {
  it('issues the control plane its identity, chained to the mesh root', async () => {
    const ca = await stage();
    expect(() => ca.current()).toThrow(CaNotStartedError);
    await ca.start();
    const certificate = ca.current();
    expect(certificate.identity).toBe('spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane');
    const { identity } = verifyPeerChain(certificate.certChain.map((pem) => new X509Certificate(pem)), { trustBundle: TrustBundle.fromPem(certificate.trustBundle) });
    expect(identity.toString()).toBe(certificate.identity);
    expect(new X509Certificate(certificate.certChain[0]!).checkPrivateKey(createPrivateKey(certificate.privateKey))).toBe(true);
  });

  it('keeps its root across restarts, with a new serving certificate', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ambit-ca-stage-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const first = await stage({ caDir: join(root, 'ca') });
    await first.start();
    const before = first.current();
    await first.close();
    const second = await stage({ caDir: join(root, 'ca') });
    await second.start();
    expect(second.current().trustBundle).toEqual(before.trustBundle);
    expect(second.current().serialNumber).not.toBe(before.serialNumber);
  });

  it('renews at half-life and tells subscribers', async () => {
    // Two seconds of lifetime: renewed after the minimum interval of one second.
    const ca = await stage({ defaultTtlMs: 2000 });
    await ca.start();
    const first = ca.current();
    const renewed = await new Promise<ServingCertificate>((resolve) => ca.subscribe(resolve));
    expect(renewed.serialNumber).not.toBe(first.serialNumber);
    expect(renewed.trustBundle).toEqual(first.trustBundle);
    expect(ca.current()).toBe(renewed);
  });
});
