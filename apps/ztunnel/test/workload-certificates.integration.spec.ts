import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MeshTrust, type WorkloadCertificate } from '@ambit/hbone';
import { createLogger } from '@ambit/telemetry';
import { eventually, LineQueue } from '@ambit/test-support';
import { CaClient, GrpcStatus } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../src/admin/index.js';
import { buildConfig } from '../src/config/index.js';
import { WorkloadCertificateError, WorkloadCertificates, XdsCertificate } from '../src/identity/index.js';
import { ProxyState } from '../src/state/index.js';
import { registerXdsMetrics, XdsAdapter } from '../src/xds/index.js';
import { ControlPlaneProcess, createMeshDir, ztunnelXdsFlags, type MeshDir } from './support/control-plane.js';
import { podYaml } from './support/mesh.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LOCAL = 'spiffe://cluster.local/ns/demo/sa/default';
const REMOTE = 'spiffe://cluster.local/ns/remote/sa/default';

const NAMESPACES = ['demo', 'remote']
  .map((name) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n    istio.io/dataplane-mode: ambient\n`)
  .join('---\n');

/**
 * A control plane that knows node-a by a bootstrap token and issues 62-second
 * certificates: the CA dates them a minute back, so half-life comes a second after
 * issue and the test sees real renewals. A pod of demo on node-a, one of remote on node-b.
 */
async function setUp() {
  const dir = await createMeshDir({
    'namespaces.yaml': NAMESPACES,
    'local.yaml': podYaml('demo', 'client', '127.78.0.10', { app: 'client' }),
    'remote.yaml': podYaml('remote', 'server', '127.78.0.20', { app: 'server' }).replace('nodeName: node-a', 'nodeName: node-b'),
  });
  cleanups.push(() => dir.cleanup());
  const flags = ['--workload-cert-ttl', '62s'];
  let controlPlane = await ControlPlaneProcess.start(dir, 0, flags);
  cleanups.push(() => controlPlane.stop());

  const config = buildConfig({
    argv: ztunnelXdsFlags(dir, controlPlane),
    env: {},
  });
  expect(config.xdsCertFile).toBeUndefined();
  const xds = await XdsCertificate.load({ certFile: config.xdsCertFile, keyFile: config.xdsKeyFile, tokenFile: config.xdsTokenFile, rootCertFile: config.xdsRootCertFile, serverIdentity: config.xdsIdentity });
  const lines = new LineQueue();
  const log = createLogger({ level: 'debug', component: 'ztunnel', write: (line) => lines.feed(line) });
  const state = new ProxyState();
  const adapter = new XdsAdapter({
    address: config.xdsAddress,
    credentials: xds.credentials,
    nodeName: config.nodeName,
    network: config.network,
    state,
    metrics: registerXdsMetrics(createMetricsRegistry(state.view)),
    log: log.child('xds'),
    backoff: { initialMs: 50, maxMs: 200 },
  });
  adapter.start();
  cleanups.push(() => adapter.close());
  const ca = new CaClient({ target: `127.0.0.1:${controlPlane.xdsPort}`, credentials: xds.credentials });
  cleanups.push(() => ca.close());
  const certificates = new WorkloadCertificates({ ca, state: state.view, nodeName: config.nodeName, trust: new MeshTrust(xds.rootCerts), log: log.child('certificates'), backoff: { initialMs: 100, maxMs: 400 } });
  certificates.start();
  cleanups.push(() => certificates.close());
  await eventually(() => adapter.pending() === undefined || undefined, 'xDS to sync over the token-authenticated stream');
  return {
    dir,
    certificates,
    lines,
    token: (await readFile(dir.tokenFile('node-a'), 'utf8')).trim(),
    stopControlPlane: () => controlPlane.stop(),
    startControlPlane: async (tree: MeshDir) => {
      controlPlane = await ControlPlaneProcess.start(tree, Number(config.xdsAddress.port), flags);
    },
  };
}

const leafOf = (certificate: WorkloadCertificate): X509Certificate => new X509Certificate(typeof certificate.certChain === 'string' ? certificate.certChain : certificate.certChain[0]!);

describe('workload certificates from the real control plane CA (gRPC over TLS, node token)', () => {
  it("gets certificates for its node's workloads with the token only, is refused another node's, and renews before expiry", async () => {
    const { certificates, lines, token } = await setUp();
    await eventually(() => certificates.pending() === undefined || undefined, 'the local workload certificate');
    expect(certificates.dump().map((entry) => [entry.identity, entry.state])).toEqual([[LOCAL, 'Available']]);
    const first = certificates.current(LOCAL)!;
    expect(leafOf(first).subjectAltName).toBe(`URI:${LOCAL}`);
    expect(leafOf(first).checkPrivateKey(createPrivateKey(first.privateKey))).toBe(true);

    // node-b's workload: the CA refuses node-a, and ztunnel carries on.
    const refused = await certificates.forIdentity(REMOTE).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WorkloadCertificateError);
    expect(refused).toMatchObject({ denied: true, identity: REMOTE });
    expect(((refused as WorkloadCertificateError).cause as { grpcCode: number }).grpcCode).toBe(GrpcStatus.PERMISSION_DENIED);
    await lines.match(/warn ztunnel:certificates: the CA refused a workload identity for this node/);
    expect(certificates.current(LOCAL)).toBeDefined();

    // Half-life is a second away: a new certificate replaces the first while the first is still valid.
    const firstExpiry = new Date(leafOf(first).validTo).getTime();
    const renewed = await eventually(() => {
      const now = certificates.current(LOCAL);
      return now !== undefined && now !== first ? now : undefined;
    }, 'a renewed certificate');
    expect(leafOf(renewed).serialNumber).not.toBe(leafOf(first).serialNumber);
    expect(Date.now()).toBeLessThan(firstExpiry);
    expect(lines.seen.join('\n')).not.toContain(token);
  });

  it('keeps serving the current certificate while the CA is down, and renews once it is back', async () => {
    const { certificates, lines, dir, stopControlPlane, startControlPlane } = await setUp();
    await eventually(() => certificates.pending() === undefined || undefined, 'the local workload certificate');
    expect(await stopControlPlane()).toBe(0);
    await lines.match(/warn ztunnel:certificates: workload certificate renewal failed; serving the current one until it expires/);
    const held = certificates.current(LOCAL)!;
    expect(held).toBeDefined();
    await lines.match(/workload certificate renewal failed; .* retry_in_ms=/);
    expect(certificates.current(LOCAL)).toBe(held);
    expect(await certificates.forIdentity(LOCAL)).toBe(held);
    expect(certificates.dump()[0]!.state).toBe('Available');
    expect(certificates.pending()).toBeUndefined();

    await startControlPlane(dir);
    await eventually(() => {
      const now = certificates.current(LOCAL);
      return now !== undefined && now !== held ? now : undefined;
    }, 'a certificate from the restarted CA');
  });
});
