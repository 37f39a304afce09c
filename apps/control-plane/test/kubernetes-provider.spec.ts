import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr, generateKeyPair, SpiffeId } from '@ambit/crypto';
import { KubeStandIn, type KubeObject } from '@ambit/kube-stand-in';
import { CaClient, GrpcStatus, XdsClientCredentials } from '@ambit/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { startMesh, type RunningMesh } from './support/control-plane.js';
import { getJson, http } from './support/http.js';
import { NAMES } from './support/mesh.js';
import { eventually } from '@ambit/test-support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The small ambient mesh of support/mesh.ts, as objects in the API server. */
const MESH: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo' }, spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  pod('web-a', '10.0.0.1'),
  pod('web-b', '10.0.0.2'),
];

function pod(name: string, ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'demo', labels: { app: 'web', version: 'v1' } },
    spec: { nodeName: 'node-a', serviceAccountName: 'web', containers: [{ name: 'web', image: 'web:1' }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

async function meshOnStandIn(): Promise<{ standIn: KubeStandIn; mesh: RunningMesh }> {
  const standIn = await KubeStandIn.start();
  cleanups.push(() => standIn.close());
  for (const object of MESH) standIn.create(object);
  const dir = await mkdtemp(join(tmpdir(), 'ambit-kube-e2e-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, standIn.kubeconfig());
  const mesh = await startMesh(['--provider', 'kubernetes', '--kubeconfig', kubeconfig], { kubernetesProvider: { debounceMs: 20, maxDelayMs: 100, retryInitialMs: 50, retryMaxMs: 500 } });
  cleanups.push(() => mesh.close());
  return { standIn, mesh };
}

interface KubernetesStatusJson {
  readonly provider: string;
  readonly server: string;
  readonly kinds: readonly { readonly resource: string; readonly state: string }[];
  readonly objects: readonly { readonly object: string; readonly status: string; readonly issues: readonly string[] }[];
}

describe('the control plane with --provider kubernetes, end to end', () => {
  it('serves a proxy the workloads of the API server, and follows their changes', async () => {
    const { standIn, mesh } = await meshOnStandIn();
    const admin = mesh.controlPlane.addresses.admin;
    expect((await http(admin, '/ready')).body).toBe('config: ready\ntranslator: ready\nxds: ready\n');

    const proxy = mesh.proxy('ztunnel-a');
    const first = await proxy.addressUpdates.next('the first Address response');
    expect(first.upserted.map((u) => u.name).sort()).toEqual([NAMES.podA, NAMES.podB, NAMES.service].sort());

    standIn.create(pod('web-c', '10.0.0.3'));
    standIn.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'web-b' });
    await eventually(() => (proxy.addresses.has('Kubernetes//Pod/demo/web-c') && !proxy.addresses.has(NAMES.podB) ? true : undefined), 'web-c in, web-b out');

    // An invalid object is reported on /debug/status and changes nothing that is served.
    standIn.update({ ...pod('web-a', '10.0.0.1'), status: { phase: 'Sideways', podIP: '10.0.0.1' } });
    const status = await eventually(async () => {
      const report = await getJson<KubernetesStatusJson>(admin, '/debug/status');
      return report.objects.length > 0 ? report : undefined;
    }, 'the invalid pod on /debug/status');
    expect(status).toMatchObject({ provider: 'kubernetes', server: standIn.url });
    expect(status.kinds.every((k) => k.state === 'synced')).toBe(true);
    expect(status.objects).toEqual([{ object: 'Pod demo/web-a', status: 'error', issues: [expect.stringMatching(/^\/api\/v1\/namespaces\/demo\/pods\/web-a Pod demo\/web-a status\.phase: /)], loadedAt: expect.any(String), inForceSince: expect.any(String) }]);
    expect(proxy.addresses.has(NAMES.podA)).toBe(true);
  });

  it('signs certificates for the callers the API server reviews: a ztunnel for the pods of its node only, a waypoint for itself', async () => {
    const { standIn, mesh } = await meshOnStandIn();
    const web = 'spiffe://cluster.local/ns/demo/sa/web';
    const csrFor = (identity: string): string => createCsr(generateKeyPair().privateKey, SpiffeId.parse(identity));
    const caWith = (bearerToken: string): CaClient => {
      const { xds } = mesh.controlPlane.addresses;
      const client = new CaClient({ target: `${xds.host}:${xds.port}`, credentials: new XdsClientCredentials({ bearerToken, trustBundle: mesh.ca.trustBundle(), serverIdentities: [mesh.controlPlane.identity] }) });
      cleanups.push(() => Promise.resolve(client.close()));
      return client;
    };
    const nodeA = caWith(standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', node: 'node-a', audiences: ['istio-ca'] }));
    expect(await nodeA.createCertificate({ csrPem: csrFor(web) })).toHaveLength(2);

    const nodeB = caWith(standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', node: 'node-b', audiences: ['istio-ca'] }));
    await expect(nodeB.createCertificate({ csrPem: csrFor(web) })).rejects.toMatchObject({ grpcCode: GrpcStatus.PERMISSION_DENIED });

    const waypoint = caWith(standIn.registerToken({ namespace: 'demo', serviceAccount: 'waypoint', node: 'node-b', audiences: ['istio-ca'] }));
    expect(await waypoint.createCertificate({ csrPem: csrFor('spiffe://cluster.local/ns/demo/sa/waypoint') })).toHaveLength(2);
    await expect(waypoint.createCertificate({ csrPem: csrFor(web) })).rejects.toMatchObject({ grpcCode: GrpcStatus.PERMISSION_DENIED });

    const otherAudience = caWith(standIn.registerToken({ namespace: 'istio-system', serviceAccount: 'ztunnel', node: 'node-a', audiences: ['vault'] }));
    await expect(otherAudience.createCertificate({ csrPem: csrFor(web) })).rejects.toMatchObject({ grpcCode: GrpcStatus.UNAUTHENTICATED });
  });

  it('fails to start, naming the kubeconfig, when it cannot be read', async () => {
    await expect(startMesh(['--provider', 'kubernetes', '--kubeconfig', '/nonexistent/kubeconfig'])).rejects.toMatchObject({
      code: 'AMBIT_ERR_CP_STAGE_START',
      cause: { code: 'AMBIT_ERR_CP_KUBECONFIG' },
    });
  });
});
