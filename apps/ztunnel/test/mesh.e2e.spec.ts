import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { HbonePool } from '@ambit/hbone';
import { testPki } from '@ambit/hbone/testing';
import { eventually } from '@ambit/test-support';
import { buildConfig } from '../src/config/index.js';
import { socks5Connect } from '../src/socks5/__support__/socks5-client.js';
import { Ztunnel } from '../src/ztunnel.js';
import { ControlPlaneProcess, createMeshDir, ztunnelXdsFlags, type MeshDir } from './support/control-plane.js';
import { get } from './support/http.js';
import { podYaml } from './support/mesh.js';

/**
 * The whole L4 mesh on loopback: the real control plane (child process), two ztunnels
 * (node-a, node-b) authenticated by node tokens, workload certificates from the mesh CA,
 * HBONE between the ztunnels. Namespace `shop`: the client and an intruder on node-a
 * (two service accounts), service `web` with one endpoint per node. The applications are
 * line echo servers on the pods' addresses.
 */
const CLIENT_IP = '127.81.0.10';
const INTRUDER_IP = '127.81.0.11';
const WEB_IPS = ['127.81.1.1', '127.81.2.1'] as const;
const WEB_PORT = 8080;
const CLIENT = 'spiffe://cluster.local/ns/shop/sa/client';
const WEB = 'spiffe://cluster.local/ns/shop/sa/web';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MESH = {
  'namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio.io/dataplane-mode: ambient
`,
  'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  clusterIP: 10.96.81.1
  selector:
    app: web
  ports:
  - name: tcp
    port: 80
    targetPort: ${WEB_PORT}
`,
  'client.yaml': podYaml('shop', 'client', CLIENT_IP, { app: 'client' }, { serviceAccount: 'client' }),
  'intruder.yaml': podYaml('shop', 'intruder', INTRUDER_IP, { app: 'intruder' }, { serviceAccount: 'intruder' }),
  'web-a.yaml': podYaml('shop', 'web-a', WEB_IPS[0], { app: 'web' }, { serviceAccount: 'web' }),
  'web-b.yaml': podYaml('shop', 'web-b', WEB_IPS[1], { app: 'web' }, { node: 'node-b', serviceAccount: 'web' }),
};

/** An application: answers each line with `<name>:<line>`, keeps the connection open. */
async function lineEcho(name: string, host: string): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        socket.write(`${name}:${pending.slice(0, newline)}\n`);
        pending = pending.slice(newline + 1);
      }
    });
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen({ host, port: WEB_PORT }, resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return server;
}

/** A line-by-line conversation over one connection. */
function conversation(socket: Socket): (line: string) => Promise<string> {
  let buffered = '';
  const waiting: ((line: string) => void)[] = [];
  // The SOCKS5 client hands the socket back paused.
  socket.resume();
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1 && waiting.length > 0) {
      waiting.shift()!(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  return (line) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${line}`)), 10_000);
      waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.write(`${line}\n`);
    });
}

async function startZtunnel(dir: MeshDir, controlPlane: ControlPlaneProcess, node: 'node-a' | 'node-b'): Promise<Ztunnel> {
  const config = buildConfig({
    argv: [...ztunnelXdsFlags(dir, controlPlane, node), '--admin-address=127.0.0.1:0', '--metrics-address=127.0.0.1:0', '--readiness-address=127.0.0.1:0', '--drain-timeout=1s'],
    env: {},
  });
  const ztunnel = new Ztunnel(config, { xdsBackoff: { initialMs: 50, maxMs: 200 }, certificateBackoff: { initialMs: 100, maxMs: 500 } });
  await ztunnel.start();
  cleanups.push(() => ztunnel.close());
  await eventually(async () => ((await get(ztunnel.addresses.readiness, '/healthz/ready')).status === 200 ? true : undefined), `ztunnel ${node} to be ready`);
  return ztunnel;
}

async function setUp(extraFiles: Record<string, string> = {}, controlPlaneFlags: readonly string[] = []) {
  for (const [i, ip] of WEB_IPS.entries()) await lineEcho(`web-${'ab'[i]}`, ip);
  const dir = await createMeshDir({ ...MESH, ...extraFiles });
  cleanups.push(() => dir.cleanup());
  let controlPlane = await ControlPlaneProcess.start(dir, 0, controlPlaneFlags);
  cleanups.push(() => controlPlane.stop());
  const nodeA = await startZtunnel(dir, controlPlane, 'node-a');
  const nodeB = await startZtunnel(dir, controlPlane, 'node-b');
  const entry = (uid: string) => eventually(() => nodeA.socks5Address(`Kubernetes//Pod/shop/${uid}`), `the SOCKS5 entry of ${uid}`);
  return {
    dir,
    nodeA,
    nodeB,
    client: await entry('client'),
    intruder: await entry('intruder'),
    restartControlPlane: async () => {
      const port = controlPlane.xdsPort;
      expect(await controlPlane.stop()).toBe(0);
      controlPlane = await ControlPlaneProcess.start(dir, port, controlPlaneFlags);
    },
  };
}

async function ask(entry: { host: string; port: number }, host = 'web.shop', line = 'hello'): Promise<string> {
  const { reply, socket } = await socks5Connect(entry, { host, port: 80 });
  if (reply !== 0) {
    socket.destroy();
    return `reply ${reply}`;
  }
  const answer = await conversation(socket)(line);
  socket.destroy();
  return answer;
}

/** The value of a metric series whose labels include all of `labels`; 0 when there is none. */
async function metric(ztunnel: Ztunnel, name: string, labels: Record<string, string>): Promise<number> {
  const text = (await get(ztunnel.addresses.metrics, '/metrics')).body;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Plaintext from outside the mesh to web-b's inbound port, as a pod without ztunnel would send it. */
async function plaintext(): Promise<string> {
  const socket = connect({ host: WEB_IPS[1], port: 15006 });
  // A reset may come before or after the connection is reported open.
  const reset = new Promise<string>((resolve) => socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error')));
  try {
    return await Promise.race([conversation(socket)('plain'), reset]);
  } finally {
    socket.destroy();
  }
}

describe('the L4 mesh: two ztunnels, HBONE, the control plane and its CA', () => {
  it('carries A → service → B over mutual TLS to endpoints on both nodes, with Istio TCP metrics at both ends', async () => {
    const { nodeA, nodeB, client } = await setUp();
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add((await ask(client, i % 2 === 0 ? 'web.shop' : '10.96.81.1')).split(':')[0]!);
    expect([...answers].sort()).toEqual(['web-a', 'web-b']);
    // node-b's ztunnel saw the client's identity on mutual TLS; node-a reported the source side.
    const inbound = { reporter: 'destination', connection_security_policy: 'mutual_tls', source_principal: CLIENT, destination_principal: WEB, destination_workload: 'web-b' };
    expect(await metric(nodeB, 'istio_tcp_connections_opened_total', inbound)).toBeGreaterThanOrEqual(1);
    expect(await metric(nodeB, 'istio_tcp_received_bytes_total', inbound)).toBeGreaterThan(0);
    expect(await metric(nodeA, 'istio_tcp_connections_opened_total', { reporter: 'source', source_principal: CLIENT, connection_security_policy: 'mutual_tls', destination_service: 'web.shop.svc.cluster.local' })).toBe(6);
  });

  it('accepts plaintext under PERMISSIVE and resets it under STRICT, while mesh clients keep working', async () => {
    const { dir, client } = await setUp();
    expect(await plaintext()).toBe('web-b:plain');
    await dir.write('strict.yaml', 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT\n');
    await eventually(async () => ((await plaintext()) === 'ECONNRESET' ? true : undefined), 'plaintext to be reset');
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add((await ask(client)).split(':')[0]!);
    expect([...answers].sort()).toEqual(['web-a', 'web-b']);
  });

  it('lets only the allowed principal in, DENY beats ALLOW, and no workload can send as another through its SOCKS5 entry', async () => {
    const allow = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: web-allow-client
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/shop/sa/client"]
`;
    const { dir, client, intruder, nodeB } = await setUp({ 'allow.yaml': allow });
    expect((await ask(client)).startsWith('web-')).toBe(true);
    // The intruder's entry presents the intruder's certificate: refused at the destination (SOCKS5 0x05).
    for (let i = 0; i < 2; i++) expect(await ask(intruder)).toBe('reply 5');
    expect(await metric(nodeB, 'istio_tcp_connections_closed_total', { reporter: 'destination', response_flags: 'DENY', source_principal: 'spiffe://cluster.local/ns/shop/sa/intruder' })).toBe(1);

    await dir.write('deny.yaml', allow.replace('web-allow-client', 'web-deny-client').replace('action: ALLOW', 'action: DENY'));
    await eventually(async () => ((await ask(client)) === 'reply 5' ? true : undefined), 'DENY to win over ALLOW');
  });

  it('sees the real source address at the destination: a DENY by ipBlocks stops only that workload', async () => {
    const deny = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: web-deny-intruder-ip
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  action: DENY
  rules:
  - from:
    - source:
        ipBlocks: ["${INTRUDER_IP}/32"]
`;
    const { client, intruder } = await setUp({ 'deny.yaml': deny });
    expect(await ask(intruder)).toBe('reply 5');
    expect((await ask(client)).startsWith('web-')).toBe(true);
  });

  it('keeps connections open while the control plane restarts and while certificates rotate', async () => {
    // 62 s certificates, dated a minute back: they rotate about every second.
    const { nodeA, client, restartControlPlane } = await setUp({}, ['--workload-cert-ttl', '62s']);
    const { reply, socket } = await socks5Connect(client, { host: 'web.shop', port: 80 });
    expect(reply).toBe(0);
    cleanups.push(() => void socket.destroy());
    const say = conversation(socket);
    const server = (await say('first')).split(':')[0];
    const serial = (): Promise<string> => get(nodeA.addresses.admin, '/config_dump').then((answer) => JSON.stringify((JSON.parse(answer.body) as { certificates: { identity: string; certChain: { serialNumber: string }[] }[] }).certificates.find((c) => c.identity === CLIENT)?.certChain[0]?.serialNumber));
    const before = await serial();
    await eventually(async () => ((await serial()) !== before ? true : undefined), 'the client certificate to rotate');
    expect(await say('after rotation')).toBe(`${server}:after rotation`);
    await restartControlPlane();
    expect(await say('after restart')).toBe(`${server}:after restart`);
    // And new connections still work once the ztunnel has resynced.
    expect((await ask(client)).startsWith('web-')).toBe(true);
  });

  it('is refused by a destination ztunnel when the client certificate comes from a rogue CA', async () => {
    const { nodeB } = await setUp();
    const rogue = await testPki();
    const certificate = rogue.issue(SpiffeId.parse(CLIENT));
    const pool = new HbonePool({ trust: rogue.trust, clientCertificate: () => certificate });
    cleanups.push(() => pool.close(100));
    const attempt = pool.connect({ sourceIdentity: SpiffeId.parse(CLIENT), destinationIdentities: [SpiffeId.parse(WEB)], destination: { ip: WEB_IPS[1], port: WEB_PORT }, hboneAddress: { ip: WEB_IPS[1], port: 15008 } });
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/AMBIT_ERR_HBONE_(TLS|SERVER_IDENTITY|STREAM)/) });
    expect(await metric(nodeB, 'istio_tcp_connections_opened_total', { reporter: 'destination' })).toBe(0);
  });
});
