import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/index.js';
import { startEchoServer, type EchoServer } from '../src/socks5/__support__/echo-server.js';
import { exchange, socks5Connect } from '../src/socks5/__support__/socks5-client.js';
import { Ztunnel } from '../src/ztunnel.js';
import { ControlPlaneProcess, createMeshDir, ztunnelXdsFlags, type MeshDir } from './support/control-plane.js';
import { get, getJson } from './support/http.js';
import { CLIENT_UID, meshFiles, podYaml, WEB_VIP } from './support/mesh.js';
import { eventually } from '@ambit/test-support';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Dump {
  workloads: { uid: string; protocol: string; workloadIps: string[]; status: string }[];
  services: { hostname: string; vips: string[]; ports: Record<string, number>; endpoints: Record<string, { status: string }> }[];
  policies: unknown[];
  certificates: { identity: string; state: string; certChain: { expirationTime: string; serialNumber: string }[]; rootCerts: unknown[] }[];
  xds: { connected: boolean };
}

/** Echo servers on two pod IPs, the same port; a mesh dir and a running control plane; a ztunnel for node-a. */
async function setUp() {
  const first = await startEchoServer('web-1', '127.77.0.2');
  const second = await startEchoServer('web-2', '127.77.0.3', first.port);
  const echoes: EchoServer[] = [first, second];
  cleanups.push(...echoes.map((echo) => () => echo.close()));
  const dir = await createMeshDir(meshFiles(first.port, [['web-1', '127.77.0.2'], ['web-2', '127.77.0.3']]));
  cleanups.push(() => dir.cleanup());
  const controlPlane = await ControlPlaneProcess.start(dir);
  let current = controlPlane;
  cleanups.push(() => current.stop());
  const config = buildConfig({
    argv: [
      ...ztunnelXdsFlags(dir, controlPlane),
      '--admin-address=127.0.0.1:0',
      '--metrics-address=127.0.0.1:0',
      '--readiness-address=127.0.0.1:0',
      '--socks5-port=0',
      '--drain-timeout=1s',
    ],
    env: {},
  });
  const ztunnel = new Ztunnel(config, { xdsBackoff: { initialMs: 50, maxMs: 200 } });
  await ztunnel.start();
  cleanups.push(() => ztunnel.close());
  return {
    dir,
    echoes,
    ztunnel,
    restartControlPlane: async (change: (dir: MeshDir) => Promise<void>) => {
      const port = current.xdsPort;
      expect(await current.stop()).toBe(0);
      await change(dir);
      current = await ControlPlaneProcess.start(dir, port);
    },
  };
}

describe('ztunnel with the real control plane (gRPC over mutual TLS)', () => {
  it('syncs, turns ready, and dumps workloads, services and its certificate', async () => {
    const { ztunnel } = await setUp();
    const { admin, readiness, metrics } = ztunnel.addresses;
    const ready = await eventually(async () => {
      const answer = await get(readiness, '/healthz/ready');
      return answer.status === 200 ? answer.body : undefined;
    }, 'readiness to turn 200');
    expect(ready).toBe('xds: ready\ncertificates:xds: ready\ncertificates:workloads: ready\nlisteners: ready\n');

    const dump = await getJson<Dump>(admin, '/config_dump');
    expect(dump.workloads.map((w) => [w.uid, w.protocol, w.workloadIps[0]])).toEqual([
      [CLIENT_UID, 'HBONE', '127.77.0.10'],
      ['Kubernetes//Pod/legacy/web-1', 'TCP', '127.77.0.2'],
      ['Kubernetes//Pod/legacy/web-2', 'TCP', '127.77.0.3'],
    ]);
    const [web] = dump.services;
    expect(web).toMatchObject({ hostname: 'web.legacy.svc.cluster.local', vips: [`/${WEB_VIP}`] });
    expect(Object.values(web!.endpoints).map((e) => e.status)).toEqual(['Healthy', 'Healthy']);
    expect(dump.xds.connected).toBe(true);
    const [certificate] = dump.certificates;
    // Token-authenticated: the only certificate is the one the CA issued for the local HBONE pod's identity.
    expect(dump.certificates).toHaveLength(1);
    expect(certificate).toMatchObject({ identity: 'spiffe://cluster.local/ns/demo/sa/default', state: 'Available' });
    expect(Date.parse(certificate!.certChain[0]!.expirationTime)).toBeGreaterThan(Date.now());
    expect(certificate!.rootCerts).toHaveLength(1);

    const scraped = await get(metrics, '/metrics');
    expect(scraped.body).toMatch(/^ambit_ztunnel_workloads 3$/m);
    expect(scraped.body).toMatch(/^istio_xds_message_total\{url="type\.googleapis\.com\/ambit\.workload\.v1\.Address"\} [1-9]/m);
  });

  it('carries SOCKS5 connections from a local workload to a service by hostname and VIP, spread over both endpoints', async () => {
    const { ztunnel, echoes } = await setUp();
    const entry = await eventually(() => ztunnel.socks5Address(CLIENT_UID), "the client workload's SOCKS5 entry");
    expect(entry.host).toBe('127.77.0.10');
    const answers: string[] = [];
    for (const host of ['web.legacy', 'web.legacy.svc.cluster.local', WEB_VIP, 'web.legacy.svc']) {
      const { reply, socket } = await socks5Connect(entry, { host, port: 80 });
      expect(reply).toBe(0);
      answers.push((await exchange(socket, 'hello')).split(':')[0]!);
    }
    expect(answers.sort()).toEqual(['web-1', 'web-1', 'web-2', 'web-2']);
    expect(echoes.map((echo) => echo.connections)).toEqual([2, 2]);
  });

  it('keeps its state while the control plane restarts, then resyncs what changed meanwhile', async () => {
    const { ztunnel, restartControlPlane, echoes } = await setUp();
    await eventually(() => (ztunnel.state.workloads.size === 3 ? true : undefined), 'the first sync');
    await eventually(async () => ((await get(ztunnel.addresses.readiness, '/healthz/ready')).status === 200 ? true : undefined), 'readiness before the restart');
    const third = await startEchoServer('web-3', '127.77.0.4', echoes[0]!.port);
    cleanups.push(() => third.close());
    await restartControlPlane(async (dir) => {
      // While it is down, ztunnel still knows (and serves) the mesh.
      expect(ztunnel.state.workloads.size).toBe(3);
      await dir.write('web-3.yaml', podYaml('legacy', 'web-3', '127.77.0.4', { app: 'web' }));
    });
    const admin = ztunnel.addresses.admin;
    await eventually(async () => ((await getJson<Dump>(admin, '/config_dump')).workloads.some((w) => w.uid === 'Kubernetes//Pod/legacy/web-3') ? true : undefined), 'web-3 after the resync');
    expect(ztunnel.state.services.endpoints('legacy/web.legacy.svc.cluster.local').size).toBe(3);
    expect((await get(ztunnel.addresses.readiness, '/healthz/ready')).status).toBe(200);
  });
});
