import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr, generateKeyPair, SpiffeId, TrustBundle, verifyPeerChain } from '@ambit/crypto';
import { ADDRESS_TYPE_URL, CaClient, GrpcStatus, XdsClientCredentials, type CertificateRequestError } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { generateNodeToken } from '../src/authn/index.js';
import { REFUSAL_REASONS } from '../src/ca-stage/index.js';
import { startMesh, ZTUNNEL_IDENTITY, type RunningMesh } from './support/control-plane.js';
import { HAS_OPENSSL, opensslCsr } from './support/csr.js';
import { http } from './support/http.js';
import { CapturedLog } from './support/log.js';
import { parsePrometheusText } from './support/prometheus.js';
import { issue, TestProxy, type ProxyCertificate } from './support/proxy.js';
import { eventually } from '@ambit/test-support';

// The small mesh of support/mesh.ts: pods web-a and web-b of demo/web (service account web) on node-a.
const WEB = 'spiffe://cluster.local/ns/demo/sa/web';
const NODE_A_TOKEN = generateNodeToken();
const NODE_B_TOKEN = generateNodeToken();
const EXPIRED_TOKEN = generateNodeToken();
const HOUR_S = 3600;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A control plane whose node tokens file names node-a, node-b and an expired token of node-a. */
async function mesh(log?: CapturedLog): Promise<RunningMesh> {
  const dir = await mkdtemp(join(tmpdir(), 'ambit-node-tokens-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const tokensFile = join(dir, 'node-tokens.yaml');
  await writeFile(
    tokensFile,
    `- node: node-a\n  token: ${NODE_A_TOKEN}\n- node: node-b\n  token: ${NODE_B_TOKEN}\n- node: node-a\n  token: ${EXPIRED_TOKEN}\n  expires: 2020-01-01T00:00:00Z\n`,
  );
  const started = await startMesh(['--node-tokens', tokensFile, '--max-workload-cert-ttl', '48h'], log === undefined ? {} : { log: log.logger });
  cleanups.push(() => started.close());
  return started;
}

/** A CA client as a proxy holds one: with its certificate, or (a node) with its token only, or with nothing. */
function caClient(mesh: RunningMesh, material: ProxyCertificate | { readonly bearerToken?: string }): CaClient {
  const { xds } = mesh.controlPlane.addresses;
  const client = new CaClient({
    target: `${xds.host}:${xds.port}`,
    credentials: new XdsClientCredentials({ ...material, trustBundle: mesh.ca.trustBundle(), serverIdentities: [mesh.controlPlane.identity] }),
  });
  cleanups.push(() => client.close());
  return client;
}

const csrFor = (identity: string): string => createCsr(generateKeyPair().privateKey, SpiffeId.parse(identity));

async function refused(promise: Promise<unknown>): Promise<CertificateRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'AMBIT_ERR_XDS_CA_CALL' });
  return error as CertificateRequestError;
}

async function counters(mesh: RunningMesh): Promise<Map<string, number>> {
  return parsePrometheusText((await http(mesh.controlPlane.addresses.admin, '/metrics')).body);
}

function lifetimeSeconds(chain: readonly string[]): number {
  const leaf = new X509Certificate(chain[0]!);
  return (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 1000;
}

describe('the CA service on the xDS port', () => {
  it('signs a workload on the node of the token: chain leaf first, verified by the root; default TTL 24h, longer ones capped', async () => {
    const m = await mesh();
    const ztunnel = caClient(m, { bearerToken: NODE_A_TOKEN });
    const chain = await ztunnel.createCertificate({ csrPem: csrFor(WEB) });
    expect(chain.length).toBeGreaterThanOrEqual(2);
    const certificates = chain.map((pem) => new X509Certificate(pem));
    expect(certificates[0]!.ca).toBe(false);
    expect(chain.at(-1)).toBe(m.ca.trustBundle()[0]);
    const { identity } = verifyPeerChain(certificates, { trustBundle: TrustBundle.fromPem(m.ca.trustBundle()) });
    expect(identity.toString()).toBe(WEB);
    // notBefore is backdated by 60 s for clock skew.
    expect(lifetimeSeconds(chain)).toBe(24 * HOUR_S + 60);
    expect(lifetimeSeconds(await ztunnel.createCertificate({ csrPem: csrFor(WEB), ttlSeconds: HOUR_S }))).toBe(HOUR_S + 60);
    expect(lifetimeSeconds(await ztunnel.createCertificate({ csrPem: csrFor(WEB), ttlSeconds: 1000 * HOUR_S }))).toBe(48 * HOUR_S + 60);
    // Istio's ztunnel names the identity in metadata too.
    await ztunnel.createCertificate({ csrPem: csrFor(WEB), metadata: { ImpersonatedIdentity: WEB } });
  });

  it('refuses, each with its status, and keeps serving: a good request after all of them succeeds and the counters moved', async () => {
    const log = new CapturedLog();
    const m = await mesh(log);
    const nodeA = caClient(m, { bearerToken: NODE_A_TOKEN });
    const cases: [string, () => Promise<unknown>, number, RegExp][] = [
      ['a workload of another node', () => caClient(m, { bearerToken: NODE_B_TOKEN }).createCertificate({ csrPem: csrFor(WEB) }), GrpcStatus.PERMISSION_DENIED, /node node-b \(bootstrap-token\) may not obtain spiffe:\/\/cluster\.local\/ns\/demo\/sa\/web: no workload/],
      ['an identity nobody runs', () => nodeA.createCertificate({ csrPem: csrFor('spiffe://cluster.local/ns/demo/sa/admin') }), GrpcStatus.PERMISSION_DENIED, /no workload with service account demo\/admin is scheduled on node node-a/],
      ['an unknown token', () => caClient(m, { bearerToken: generateNodeToken() }).createCertificate({ csrPem: csrFor(WEB) }), GrpcStatus.UNAUTHENTICATED, /not a node token of this control plane/],
      ['a forged token (one character changed)', () => caClient(m, { bearerToken: `${NODE_A_TOKEN.slice(0, -1)}${NODE_A_TOKEN.endsWith('A') ? 'B' : 'A'}` }).createCertificate({ csrPem: csrFor(WEB) }), GrpcStatus.UNAUTHENTICATED, /not a node token/],
      ['an expired token', () => caClient(m, { bearerToken: EXPIRED_TOKEN }).createCertificate({ csrPem: csrFor(WEB) }), GrpcStatus.UNAUTHENTICATED, /expired at 2020-01-01T00:00:00\.000Z/],
      ['no token and no certificate', () => caClient(m, {}).createCertificate({ csrPem: csrFor(WEB) }), GrpcStatus.UNAUTHENTICATED, /no verified client certificate and no bearer token/],
      ['garbage for a CSR', () => nodeA.createCertificate({ csrPem: 'not a CSR at all' }), GrpcStatus.INVALID_ARGUMENT, /certificate request refused: .*CERTIFICATE REQUEST/],
      ['a CSR over 8 KiB', () => nodeA.createCertificate({ csrPem: `${csrFor(WEB)}${'x'.repeat(9000)}` }), GrpcStatus.RESOURCE_EXHAUSTED, /certificate request refused: .*8192/],
      ['a request over the message limit', () => nodeA.createCertificate({ csrPem: 'x'.repeat(40_000) }), GrpcStatus.RESOURCE_EXHAUSTED, /exceeds the limit of 32768/],
      ['ImpersonatedIdentity other than the CSR\'s', () => nodeA.createCertificate({ csrPem: csrFor(WEB), metadata: { ImpersonatedIdentity: 'spiffe://cluster.local/ns/demo/sa/other' } }), GrpcStatus.INVALID_ARGUMENT, /metadata ImpersonatedIdentity .* is not the CSR's identity/],
    ];
    for (const [what, call, status, message] of cases) {
      const error = await refused(call());
      expect({ what, status: error.grpcCode }).toEqual({ what, status });
      expect(error.message).toMatch(message);
    }
    // Tokens are never logged.
    const logged = log.lines.join('\n');
    expect(logged).toMatch(/certificate request refused/);
    for (const token of [NODE_A_TOKEN, NODE_B_TOKEN, EXPIRED_TOKEN]) expect(logged).not.toContain(token);

    expect(await nodeA.createCertificate({ csrPem: csrFor(WEB) })).toHaveLength(2);
    const metrics = await counters(m);
    expect(metrics.get('citadel_server_success_cert_issuance_count')).toBe(1);
    expect(metrics.get('citadel_server_authentication_failure_count')).toBe(4);
    expect(metrics.get('citadel_server_csr_count')).toBe(cases.length + 1);
    expect(Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, metrics.get(`ambit_ca_csr_refused_total{reason="${reason}"}`)]))).toEqual({
      unauthenticated: 4,
      permission_denied: 2,
      invalid_argument: 2,
      too_large: 2,
      malformed: 0,
      overloaded: 0,
      timeout: 0,
      unavailable: 0,
      internal: 0,
    });
  });

  it.skipIf(!HAS_OPENSSL)('refuses CSRs that do not ask for exactly one SPIFFE ID: two URIs, a DNS name, no name', async () => {
    const m = await mesh();
    const nodeA = caClient(m, { bearerToken: NODE_A_TOKEN });
    const cases: [string | undefined, RegExp][] = [
      [`URI:${WEB},URI:spiffe://cluster.local/ns/demo/sa/other`, /exactly one subjectAltName, a SPIFFE ID; it carries 2/],
      [`URI:${WEB},DNS:web.demo.svc`, /it carries 2/],
      ['DNS:web.demo.svc', /must be a SPIFFE ID URI, not a DNS name/],
      [undefined, /it carries 0/],
    ];
    for (const [names, message] of cases) {
      const error = await refused(nodeA.createCertificate({ csrPem: opensslCsr(names) }));
      expect({ names, status: error.grpcCode }).toEqual({ names, status: GrpcStatus.INVALID_ARGUMENT });
      expect(error.message).toMatch(message);
    }
    // An OpenSSL CSR asking for exactly the identity is signed like ours.
    expect(await nodeA.createCertificate({ csrPem: opensslCsr(`URI:${WEB}`) })).toHaveLength(2);
  });

  it('renews a waypoint with its own certificate for its own identity only', async () => {
    const m = await mesh();
    const waypointIdentity = 'spiffe://cluster.local/ns/demo/sa/waypoint';
    const waypoint = caClient(m, issue(m.ca, waypointIdentity));
    const chain = await waypoint.createCertificate({ csrPem: csrFor(waypointIdentity) });
    expect(new X509Certificate(chain[0]!).subjectAltName).toBe(`URI:${waypointIdentity}`);
    const denied = await refused(waypoint.createCertificate({ csrPem: csrFor(WEB) }));
    expect(denied.grpcCode).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(denied.message).toMatch(/a proxy may only renew its own identity/);
    // A ztunnel certificate proves no node: it too gets its own identity only.
    const ztunnelByCertificate = caClient(m, issue(m.ca, ZTUNNEL_IDENTITY));
    expect((await refused(ztunnelByCertificate.createCertificate({ csrPem: csrFor(WEB) }))).grpcCode).toBe(GrpcStatus.PERMISSION_DENIED);
  });
});

describe('xDS streams authenticated by bearer token', () => {
  it('serves a node that has only its token, and refuses an unauthenticated stream and a node claiming another node', async () => {
    const m = await mesh();
    const { xds } = m.controlPlane.addresses;
    const common = { address: xds, trustBundle: m.ca.trustBundle(), serverIdentity: m.controlPlane.identity };
    const node = new TestProxy({ ...common, nodeId: 'ztunnel-a', bearerToken: NODE_A_TOKEN });
    const anonymous = new TestProxy({ ...common, nodeId: 'anonymous' });
    const forged = new TestProxy({ ...common, nodeId: 'forged', bearerToken: generateNodeToken() });
    // Node B's token, node A's metadata (TestProxy claims node-a).
    const impostor = new TestProxy({ ...common, nodeId: 'impostor', bearerToken: NODE_B_TOKEN });
    try {
      const update = await node.addressUpdates.next('the first Address response');
      expect(update.upserted.length).toBeGreaterThan(0);
      for (const refusedProxy of [anonymous, forged]) {
        const error = await eventually(() => refusedProxy.client.status().lastError, 'the refusal to be reported');
        expect(error.grpcCode).toBe(GrpcStatus.UNAUTHENTICATED);
        expect(refusedProxy.addressUpdates.pending).toBe(0);
      }
      const claim = await eventually(() => impostor.client.status().lastError, 'the impostor to be refused');
      expect(claim.grpcCode).toBe(GrpcStatus.PERMISSION_DENIED);
      expect(claim.message).toContain('its token is for node "node-b"');
      const syncz = (await http(m.controlPlane.addresses.admin, '/debug/syncz')).body;
      expect(JSON.parse(syncz)).toHaveLength(1);
      expect(syncz).toContain(ADDRESS_TYPE_URL);
      expect(syncz).not.toContain(NODE_A_TOKEN);
    } finally {
      for (const proxy of [node, anonymous, forged, impostor]) proxy.close();
    }
  });
});
