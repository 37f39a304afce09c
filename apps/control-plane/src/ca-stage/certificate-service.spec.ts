import { X509Certificate } from 'node:crypto';
import { CertificateAuthority, createCsr, generateKeyPair, SpiffeId } from '@ambit/crypto';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { CaBusyError, GrpcStatus, type CertificateCall } from '@ambit/xds';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { CallerAuthentication, type CallerAuthenticator } from '../authn/index.js';
import { CertificateService } from './certificate-service.js';
import { CaMetrics } from './metrics.js';

const WEB = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/web');
const tokens: CallerAuthenticator = {
  authenticate: (token) => (token === 'node-a' ? Promise.resolve({ kind: 'node', node: 'node-a', proof: 'bootstrap-token' }) : Promise.reject(new Error('unknown token'))),
};

let authority: CertificateAuthority;
beforeAll(async () => {
  authority = await CertificateAuthority.create({ trustDomain: 'cluster.local', maxTtlMs: 48 * 3600_000 });
});

function service(ca: { readonly authority: CertificateAuthority } = { authority }): { service: CertificateService; registry: Registry } {
  const registry = new Registry();
  return {
    registry,
    service: new CertificateService({
      ca,
      authentication: new CallerAuthentication({ trustDomain: 'cluster.local', tokens }),
      placement: { nodeRuns: (node, namespace, serviceAccount) => node === 'node-a' && namespace === 'demo' && serviceAccount === 'web' },
      trustDomain: 'cluster.local',
      metrics: new CaMetrics(registry),
      log: SILENT_LOGGER,
    }),
  };
}

const call: CertificateCall = { peer: undefined, bearerToken: 'node-a', remoteAddress: '127.0.0.1:1', signal: new AbortController().signal };
const csr = (): string => createCsr(generateKeyPair().privateKey, WEB);

async function counter(registry: Registry, name: string, reason?: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  return (metric.values as { value: number; labels: Record<string, string> }[]).find((v) => reason === undefined || v.labels.reason === reason)!.value;
}

describe('CertificateService', () => {
  it('signs for the requested lifetime, capped at the maximum', async () => {
    const { service: ca } = service();
    const chain = await ca.createCertificate({ csr: csr(), validityDuration: 3600 * 1000, metadata: {} }, call);
    const leaf = new X509Certificate(chain[0]!);
    expect((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 1000).toBe(48 * 3600 + 60);
  });

  it('refuses a negative validity_duration with INVALID_ARGUMENT, counted by reason', async () => {
    const { service: ca, registry } = service();
    const error = await ca.createCertificate({ csr: csr(), validityDuration: -1, metadata: {} }, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AMBIT_ERR_CP_CSR_INVALID', grpcCode: GrpcStatus.INVALID_ARGUMENT, message: expect.stringMatching(/validity_duration -1 is negative/) });
    expect(await counter(registry, 'ambit_ca_csr_refused_total', 'invalid_argument')).toBe(1);
    expect(await counter(registry, 'citadel_server_csr_count')).toBe(1);
  });

  it('counts the refusals of the xDS library, by reason', async () => {
    const { service: ca, registry } = service();
    ca.refused(new CaBusyError(1000), '127.0.0.1:1');
    expect(await counter(registry, 'ambit_ca_csr_refused_total', 'overloaded')).toBe(1);
    expect(await counter(registry, 'citadel_server_csr_count')).toBe(1);
  });

  it('answers a failure it does not know as internal, and counts it', async () => {
    const { service: broken, registry } = service({
      get authority(): CertificateAuthority {
        throw new TypeError('boom');
      },
    });
    await expect(broken.createCertificate({ csr: csr(), validityDuration: 0, metadata: {} }, call)).rejects.toThrow(TypeError);
    expect(await counter(registry, 'ambit_ca_csr_refused_total', 'internal')).toBe(1);
  });
});
