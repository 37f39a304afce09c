import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import { buildConfig } from '../../src/config/index.js';
import { Ztunnel } from '../../src/ztunnel.js';
import { ControlPlaneProcess, createMeshDir, ztunnelXdsFlags, type MeshDir } from '../support/control-plane.js';
import { get } from '../support/http.js';
import { clusterCli, fetchFrom, inNetns, peerReporter, podNetnsPath } from './cluster.js';
import { CAPTURE_UNAVAILABLE } from './netns-probe.js';

/**
 * In-pod capture on a real 2-node cluster of network namespaces (root only): the
 * control plane (child process) reads the cluster's YAML as emitted by netns-cluster;
 * one ztunnel per node (in this process: every socket it opens for a pod is made inside
 * that pod's namespace, so where its own thread lives does not matter) captures the
 * pods of ambient namespaces. Applications are servers inside pod namespaces that
 * answer with the peer address they see; clients connect from inside pod namespaces.
 */
const CLUSTER = `zc${process.pid % 100_000}`;
const WEB_VIP = '10.96.0.10';
const IPS = { client: '10.244.1.2', intruder: '10.244.1.3', outsider: '10.244.1.4', web: '10.244.2.2', plain: '10.244.2.3' };
const SPEC = `name: ${CLUSTER}
network: 10.77.0.0/24
serviceCIDR: 10.96.0.0/24
nodes:
  - { name: node-a, ip: 10.77.0.11, podCIDR: 10.244.1.0/24 }
  - { name: node-b, ip: 10.77.0.12, podCIDR: 10.244.2.0/24 }
namespaces:
  - name: mesh
    labels: { istio.io/dataplane-mode: ambient }
  - name: legacy
pods:
  - { name: client, namespace: mesh, node: node-a, ip: ${IPS.client}, serviceAccount: client, labels: { app: client } }
  - { name: intruder, namespace: mesh, node: node-a, ip: ${IPS.intruder}, serviceAccount: intruder, labels: { app: intruder } }
  - { name: outsider, namespace: legacy, node: node-a, ip: ${IPS.outsider}, labels: { app: outsider } }
  - { name: web, namespace: mesh, node: node-b, ip: ${IPS.web}, serviceAccount: web, labels: { app: web }, ports: [8080] }
  - { name: plain, namespace: legacy, node: node-b, ip: ${IPS.plain}, labels: { app: plain }, ports: [8080] }
services:
  - { name: web, namespace: mesh, clusterIP: ${WEB_VIP}, selector: { app: web }, ports: [{ name: tcp, port: 80, targetPort: 8080 }] }
`;
const pod = (namespace: string, name: string): string => podNetnsPath(CLUSTER, namespace, name);
const netnsName = (namespace: string, name: string): string => `amb-${CLUSTER}-p-${namespace}.${name}`;

const policy = (kind: string, name: string, spec: string): string => `apiVersion: security.istio.io/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: mesh
spec:
${spec}`;

describe.skipIf(CAPTURE_UNAVAILABLE !== undefined)(`in-pod capture on a 2-node netns cluster${CAPTURE_UNAVAILABLE === undefined ? '' : ` (skipped: ${CAPTURE_UNAVAILABLE})`}`, () => {
  let dir: MeshDir;
  let controlPlane: ControlPlaneProcess;
  const ztunnels = new Map<'node-a' | 'node-b', Ztunnel>();
  const apps: Server[] = [];
  let hostLinksBefore: string;
  let specFile: string;

  async function startZtunnel(node: 'node-a' | 'node-b'): Promise<Ztunnel> {
    const config = buildConfig({
      argv: [
        ...ztunnelXdsFlags(dir, controlPlane, node),
        '--admin-address=127.0.0.1:0',
        '--metrics-address=127.0.0.1:0',
        '--readiness-address=127.0.0.1:0',
        '--drain-timeout=1s',
        '--capture=netns',
        `--pod-netns=/var/run/netns/amb-${CLUSTER}-p-{namespace}.{name}`,
      ],
      env: {},
    });
    const ztunnel = new Ztunnel(config, { xdsBackoff: { initialMs: 50, maxMs: 200 }, certificateBackoff: { initialMs: 100, maxMs: 500 } });
    ztunnels.set(node, ztunnel);
    await ztunnel.start();
    await eventually(async () => ((await get(ztunnel.addresses.readiness, '/healthz/ready')).status === 200 ? true : undefined), `ztunnel ${node} to be ready`);
    return ztunnel;
  }

  const metrics = async (node: 'node-a' | 'node-b'): Promise<string> => (await get(ztunnels.get(node)!.addresses.metrics, '/metrics')).body;
  const captured = (namespace: string, name: string): boolean => inNetns(netnsName(namespace, name), ['iptables-save']).includes('AMBIT_OUTPUT');
  const listening = (namespace: string, name: string): string => inNetns(netnsName(namespace, name), ['ss', '-Htln']);

  beforeAll(async () => {
    hostLinksBefore = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).replace(/^\d+:\s+/gm, '').split('\n').map((l) => l.split(':')[0]).sort().join(',');
    dir = await createMeshDir({});
    specFile = join(dir.root, 'netns-cluster.yaml');
    await writeFile(specFile, SPEC);
    await clusterCli(['up', '-f', specFile]);
    // The description is not Kubernetes YAML: the control plane reads what emit-yaml derives from it.
    await dir.write('cluster.yaml', await clusterCli(['emit-yaml', '-f', specFile]));
    controlPlane = await ControlPlaneProcess.start(dir);
    apps.push(await peerReporter(pod('mesh', 'web'), 'web', IPS.web, 8080), await peerReporter(pod('legacy', 'plain'), 'plain', IPS.plain, 8080));
    await startZtunnel('node-a');
    await startZtunnel('node-b');
    await eventually(() => (captured('mesh', 'client') && captured('mesh', 'web') ? true : undefined), 'the mesh pods to be captured');
  }, 120_000);

  afterAll(async () => {
    try {
      for (const app of apps) await new Promise((resolve) => app.close(resolve));
      for (const ztunnel of ztunnels.values()) await ztunnel.close();
      await controlPlane?.stop();
    } finally {
      await clusterCli(['down', '--name', CLUSTER]);
    }
    // Nothing left: no namespace of the cluster (its veths, bridge, rules and routes lived in them), no host link, no process.
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`amb-${CLUSTER}-`);
    const hostLinksAfter = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).replace(/^\d+:\s+/gm, '').split('\n').map((l) => l.split(':')[0]).sort().join(',');
    expect(hostLinksAfter).toBe(hostLinksBefore);
    expect(controlPlane.child.exitCode ?? controlPlane.child.signalCode).not.toBeNull();
    await dir?.cleanup();
  }, 60_000);

  it('captures only the pods of ambient namespaces, with listeners inside each pod', () => {
    expect(captured('mesh', 'client')).toBe(true);
    expect(captured('mesh', 'web')).toBe(true);
    expect(captured('legacy', 'outsider')).toBe(false);
    expect(captured('legacy', 'plain')).toBe(false);
    expect(listening('mesh', 'web')).toMatch(/0\.0\.0\.0:15001/);
    expect(listening('mesh', 'web')).toMatch(/0\.0\.0\.0:15006/);
    expect(listening('mesh', 'web')).toMatch(new RegExp(`${IPS.web.replaceAll('.', '\\.')}:15008`));
    expect(listening('legacy', 'plain')).not.toMatch(/:1500[168]/);
  });

  it('carries a pod to a service on the other node over mutual TLS, the application seeing its real peer address', async () => {
    expect(await fetchFrom(pod('mesh', 'client'), WEB_VIP, 80)).toBe(`web saw ${IPS.client}`);
    expect(await fetchFrom(pod('mesh', 'client'), IPS.web, 8080)).toBe(`web saw ${IPS.client}`);
    const b = await metrics('node-b');
    const opened = b.split('\n').find((line) => line.startsWith('istio_tcp_connections_opened_total{') && line.includes('reporter="destination"') && line.includes('source_principal="spiffe://cluster.local/ns/mesh/sa/client"'));
    expect(opened).toContain('connection_security_policy="mutual_tls"');
    expect(opened).toContain('destination_principal="spiffe://cluster.local/ns/mesh/sa/web"');
    expect(await metrics('node-a')).toMatch(/istio_tcp_connections_opened_total\{[^}]*reporter="source"[^}]*destination_principal="spiffe:\/\/cluster\.local\/ns\/mesh\/sa\/web"/);
  });

  it('leaves the traffic of an unlabelled namespace alone', async () => {
    expect(await fetchFrom(pod('legacy', 'outsider'), IPS.plain, 8080)).toBe(`plain saw ${IPS.outsider}`);
  });

  it('STRICT resets a plaintext client outside the mesh while mesh pods get through; PERMISSIVE lets it in', async () => {
    await dir.write('strict.yaml', policy('PeerAuthentication', 'strict', '  mtls:\n    mode: STRICT\n'));
    await eventually(async () => {
      try {
        await fetchFrom(pod('legacy', 'outsider'), IPS.web, 8080);
        return undefined;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? true : undefined;
      }
    }, 'STRICT to reset the plaintext client');
    expect(await fetchFrom(pod('mesh', 'client'), WEB_VIP, 80)).toBe(`web saw ${IPS.client}`);
    await dir.write('strict.yaml', policy('PeerAuthentication', 'strict', '  mtls:\n    mode: PERMISSIVE\n'));
    // The plaintext client is relayed by the pod's 15006 listener, which connects as the client (IP_TRANSPARENT).
    await eventually(async () => ((await fetchFrom(pod('legacy', 'outsider'), IPS.web, 8080).catch(() => '')) === `web saw ${IPS.outsider}` ? true : undefined), 'PERMISSIVE to let it in');
  });

  it('L4 authorization refuses a pod with the wrong service account', async () => {
    await dir.write('allow.yaml', policy('AuthorizationPolicy', 'web-clients', '  selector:\n    matchLabels:\n      app: web\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/mesh/sa/client"]\n'));
    await eventually(async () => ((await fetchFrom(pod('mesh', 'intruder'), WEB_VIP, 80).then(() => 'through', () => 'refused')) === 'refused' ? true : undefined), 'the intruder to be refused');
    expect(await fetchFrom(pod('mesh', 'client'), WEB_VIP, 80)).toBe(`web saw ${IPS.client}`);
    expect(await metrics('node-b')).toMatch(/istio_tcp_connections_closed_total\{[^}]*source_principal="spiffe:\/\/cluster\.local\/ns\/mesh\/sa\/intruder"[^}]*response_flags="DENY"/);
    await dir.write('allow.yaml', '');
  });

  it('captures and releases running pods when their namespace is labelled and unlabelled', async () => {
    // The cluster's own YAML, re-emitted with the namespace's new labels, as `kubectl label` would change it.
    const relabel = async (labels: string): Promise<void> => {
      await writeFile(specFile, SPEC.replace('  - name: legacy\n', `  - name: legacy\n    labels: {${labels}}\n`));
      await dir.write('cluster.yaml', await clusterCli(['emit-yaml', '-f', specFile]));
    };
    await relabel('istio.io/dataplane-mode: ambient');
    await eventually(() => (captured('legacy', 'plain') && captured('legacy', 'outsider') ? true : undefined), 'the legacy pods to be captured');
    await eventually(async () => ((await fetchFrom(pod('legacy', 'outsider'), IPS.plain, 8080).catch(() => '')) === `plain saw ${IPS.outsider}` ? true : undefined), 'outsider → plain through the mesh');
    expect(await metrics('node-b')).toMatch(/istio_tcp_connections_opened_total\{[^}]*source_principal="spiffe:\/\/cluster\.local\/ns\/legacy\/sa\/default"[^}]*connection_security_policy="mutual_tls"/);
    await relabel('');
    await eventually(() => (!captured('legacy', 'plain') && !captured('legacy', 'outsider') ? true : undefined), 'the legacy pods to be released');
    expect(listening('legacy', 'plain')).not.toMatch(/:1500[168]/);
    expect(await fetchFrom(pod('legacy', 'outsider'), IPS.plain, 8080)).toBe(`plain saw ${IPS.outsider}`);
  });

  it('a restarted ztunnel re-captures the running pods', async () => {
    await ztunnels.get('node-a')!.close();
    await expect(fetchFrom(pod('mesh', 'client'), WEB_VIP, 80)).rejects.toThrow();
    expect(captured('mesh', 'client')).toBe(true);
    await startZtunnel('node-a');
    await eventually(async () => ((await fetchFrom(pod('mesh', 'client'), WEB_VIP, 80).catch(() => '')) === `web saw ${IPS.client}` ? true : undefined), 'the client to get through again');
    expect(inNetns(netnsName('mesh', 'client'), ['iptables-save']).match(/REDIRECT --to-ports 15001/g)).toHaveLength(1);
  });
});
