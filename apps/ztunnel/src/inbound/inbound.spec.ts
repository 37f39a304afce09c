import { connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { HbonePool, HboneRefusedError, type WorkloadCertificate } from '@ambit/hbone';
import { testPki, type Pki } from '@ambit/hbone/testing';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { eventually } from '@ambit/test-support';
import { securityV1 } from '@ambit/xds';
import { LocalListeners } from '../local-listeners/index.js';
import { startEchoServer, type EchoServer } from '../socks5/__support__/echo-server.js';
import { policy, service, workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import { TcpMetrics } from '../telemetry/index.js';
import { connectStatus, rawHboneSession } from './__support__/raw-hbone.js';
import type { WorkloadCertificateProvider } from './certificate-provider.js';
import { Inbound } from './inbound.js';

// Loopback addresses stand for pod IPs. The HBONE client's connections come from
// 127.0.0.1, so the client workload has that address (as under in-pod capture, the
// HBONE peer is the source pod).
const WEB_IP = '127.0.41.2';
const MULTI_IP = '127.0.41.3';
const REMOTE_IP = '127.0.41.9';
const CLIENT_IP = '127.0.0.1';
const WEB_UID = 'Kubernetes//Pod/demo/web';
const WEB_SERVICE = 'demo/web.demo.svc.cluster.local';
const WEB_ID = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/web');
const CLIENT_ID = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/client');
const OTHER_ID = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/other');
const BAGGAGE = 'k8s.cluster.name=Kubernetes,k8s.namespace.name=demo,k8s.deployment.name=client-v1,service.name=client,service.version=v1';

const ALLOW_CLIENT = policy('demo', 'allow-client', {
  scope: securityV1.Scope.WORKLOAD_SELECTOR,
  action: securityV1.Action.ALLOW,
  groups: [{ rules: [{ matches: [{ principals: [{ matchType: 'exact', exact: 'cluster.local/ns/demo/sa/client' }] }] }] }],
});
const DENY_CLIENT = policy('demo', 'deny-client', {
  scope: securityV1.Scope.WORKLOAD_SELECTOR,
  action: securityV1.Action.DENY,
  groups: [{ rules: [{ matches: [{ principals: [{ matchType: 'exact', exact: 'cluster.local/ns/demo/sa/client' }] }] }] }],
});
// What the control plane compiles STRICT PeerAuthentication into.
const STATIC_STRICT = policy('istio-system', 'istio_converted_static_strict', {
  scope: securityV1.Scope.WORKLOAD_SELECTOR,
  action: securityV1.Action.DENY,
  groups: [{ rules: [{ matches: [{ notPrincipals: [{ matchType: 'presence', presence: true }] }] }] }],
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Certificates as the workload certificate manager hands them out: none held at first, fetched on demand. */
function certificates(pki: Pki): WorkloadCertificateProvider & { fetched: string[] } {
  const held = new Map<string, WorkloadCertificate>();
  const fetched: string[] = [];
  return {
    fetched,
    current: (id) => held.get(id),
    forIdentity: async (id) => {
      fetched.push(id);
      const certificate = pki.issue(SpiffeId.parse(id));
      held.set(id, certificate);
      return certificate;
    },
  };
}

function webWorkloads(echo: EchoServer, policies: readonly string[]) {
  const labels = (name: string) => ({ serviceAccount: name, workloadName: `${name}-v1`, canonicalName: name, canonicalRevision: 'v1', clusterId: 'Kubernetes' });
  return [
    service('web', { namespace: 'demo', vips: ['10.96.0.30'], ports: [[80, echo.port]] }),
    workload('web', { ip: WEB_IP, namespace: 'demo', services: { [WEB_SERVICE]: [[80, echo.port]] }, overrides: { ...labels('web'), authorizationPolicies: [...policies] } }),
    workload('multi', { ip: MULTI_IP, namespace: 'demo', services: { [WEB_SERVICE]: [[80, echo.port]], 'demo/admin.demo.svc.cluster.local': [[9000, 9901]] } }),
    workload('remote', { ip: REMOTE_IP, namespace: 'demo', node: 'node-b' }),
    workload('client', { ip: CLIENT_IP, namespace: 'demo', node: 'node-b', overrides: labels('client') }),
  ];
}

async function setUp(policies: readonly string[] = []) {
  const pki = await testPki();
  const echo = await startEchoServer('web', WEB_IP);
  cleanups.push(() => echo.close());
  const state = new ProxyState();
  state.applyAuthorizations({ upserted: [ALLOW_CLIENT, DENY_CLIENT, STATIC_STRICT], removed: [] });
  state.applyAddresses({ upserted: webWorkloads(echo, policies), removed: [] });
  const registry = new Registry();
  const provider = certificates(pki);
  // The inbound asks the set (made next, used only once connections arrive) whether a target is one of its own listeners.
  const inbound: Inbound = new Inbound({ state: state.view, nodeName: 'node-a', network: '', metrics: new TcpMetrics(registry), log: SILENT_LOGGER, isOwnAddress: (ip, port) => listeners.owns(ip, port) });
  const listeners: LocalListeners = new LocalListeners({
    state: state.view,
    nodeName: 'node-a',
    log: SILENT_LOGGER,
    kinds: [inbound.hbone({ port: 0, trust: pki.trust, certificates: provider, server: { decisionTimeoutMs: 5_000 } }), inbound.plaintext({ port: 0 })],
  });
  await listeners.start();
  cleanups.push(async () => {
    await listeners.close(Date.now());
    inbound.close();
  });
  const hbone = listeners.addressOf('hbone', WEB_UID)!;
  const plaintext = listeners.addressOf('plaintext', WEB_UID)!;
  const pool = (identity: SpiffeId = CLIENT_ID, issuer: Pki = pki): HbonePool => {
    const certificate = issuer.issue(identity);
    const created = new HbonePool({ trust: pki.trust, clientCertificate: () => certificate });
    cleanups.push(() => created.close(100));
    return created;
  };
  const tunnel = (client: HbonePool, port = echo.port, ip = WEB_IP, identity = CLIENT_ID) =>
    client.connect({ sourceIdentity: identity, destinationIdentities: [WEB_ID], destination: { ip, port }, hboneAddress: { ip: WEB_IP, port: hbone.port }, headers: { baggage: BAGGAGE } });
  return { pki, echo, state, registry, provider, inbound, listeners, hbone, plaintext, pool, tunnel };
}

async function exchange(stream: Duplex, text: string): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.end(text);
  await new Promise((resolve, reject) => stream.once('end', resolve).once('error', reject));
  return Buffer.concat(chunks).toString();
}

/** Plain TCP to `address`: the answer, or the error code if the connection was reset. */
async function plain(address: { host: string; port: number }, text: string): Promise<string> {
  const socket: Socket = connectTcp({ host: address.host, port: address.port, allowHalfOpen: true });
  try {
    return await exchange(socket, text);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  } finally {
    socket.destroy();
  }
}

async function series(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)!.get()).values;
}

describe('HBONE inbound', () => {
  it('lets an allowed principal through to the workload, with the certificate of the workload it arrived for', async () => {
    const { tunnel, pool, echo, provider } = await setUp([ALLOW_CLIENT.name]);
    expect(await exchange(await tunnel(pool()), 'hello')).toBe('web:hello');
    expect(echo.connections).toBe(1);
    // The pool checked the server's identity (WEB_ID); the certificate was fetched once, then held.
    expect(provider.fetched).toEqual([WEB_ID.toString()]);
  });

  it('refuses with 401 a principal an ALLOW policy does not name (an ALLOW policy means default deny)', async () => {
    const { tunnel, pool, echo } = await setUp([ALLOW_CLIENT.name]);
    await expect(tunnel(pool(OTHER_ID), undefined, undefined, OTHER_ID)).rejects.toMatchObject({ status: 401 });
    expect(echo.connections).toBe(0);
  });

  it('lets DENY win over ALLOW', async () => {
    const { tunnel, pool, echo } = await setUp([ALLOW_CLIENT.name, DENY_CLIENT.name]);
    await expect(tunnel(pool())).rejects.toBeInstanceOf(HboneRefusedError);
    await expect(tunnel(pool())).rejects.toMatchObject({ status: 401 });
    expect(echo.connections).toBe(0);
  });

  it('refuses client certificates from a rogue CA, also one of another trust domain', async () => {
    const { tunnel, pool, echo } = await setUp();
    const rogue = await testPki();
    const foreign = await testPki('evil.example');
    await expect(tunnel(pool(CLIENT_ID, rogue))).rejects.toThrow();
    const foreignId = SpiffeId.parse('spiffe://evil.example/ns/demo/sa/client');
    await expect(tunnel(pool(foreignId, foreign), undefined, undefined, foreignId)).rejects.toThrow();
    expect(echo.connections).toBe(0);
  });

  it('refuses targets it does not serve: another node’s workload 400, a closed port 503, its own listeners 503', async () => {
    const { tunnel, pool, echo, hbone, plaintext } = await setUp();
    const client = pool();
    await expect(tunnel(client, echo.port, REMOTE_IP)).rejects.toMatchObject({ status: 400 });
    const closed = await startEchoServer('closed', WEB_IP);
    await closed.close();
    await expect(tunnel(client, closed.port)).rejects.toMatchObject({ status: 503 });
    // A tunnel into the workload's own inbound listeners would loop (or, for a SOCKS5 entry, send as the workload).
    await expect(tunnel(client, plaintext.port)).rejects.toMatchObject({ status: 503 });
    await expect(tunnel(client, hbone.port)).rejects.toMatchObject({ status: 503 });
    expect(await exchange(await tunnel(client), 'still serving')).toBe('web:still serving');
  });

  it('answers malformed and unknown authorities with 400 and keeps serving', async () => {
    const { pki, hbone, echo } = await setUp();
    const session = await rawHboneSession(hbone, pki.issue(CLIENT_ID), pki.trust);
    cleanups.push(async () => void session.destroy());
    for (const authority of ['web.demo.svc.cluster.local:80', `${WEB_IP}`, `${WEB_IP}:0`, `${WEB_IP}:99999`, '[::1]:80', `${MULTI_IP}:80`]) {
      expect([authority, await connectStatus(session, authority)]).toEqual([authority, 400]);
    }
    // Characters HTTP/2 does not allow in :authority: the stream is reset before ztunnel sees it.
    await expect(connectStatus(session, 'not an authority')).rejects.toThrow(/without a response/);
    expect(await connectStatus(session, `${WEB_IP}:${echo.port}`)).toBe(200);
  });

  it('counts Istio TCP metrics (reporter destination) with the source, destination and flags', async () => {
    const { tunnel, pool, registry } = await setUp([ALLOW_CLIENT.name]);
    const open = await tunnel(pool());
    open.write('abc');
    // Bytes show while the connection is open.
    await eventually(async () => ((await series(registry, 'istio_tcp_received_bytes_total'))[0]?.value === 3 ? true : undefined), 'received bytes');
    expect(await exchange(open, 'de')).toBe('web:abcde');
    await expect(tunnel(pool(OTHER_ID), undefined, undefined, OTHER_ID)).rejects.toMatchObject({ status: 401 });
    await eventually(async () => ((await series(registry, 'istio_tcp_connections_closed_total')).length === 2 ? true : undefined), 'closed connections');
    const opened = await series(registry, 'istio_tcp_connections_opened_total');
    expect(opened.map((s) => s.labels.source_principal).sort()).toEqual([CLIENT_ID.toString(), OTHER_ID.toString()]);
    expect(opened[0]!.labels).toMatchObject({
      reporter: 'destination',
      // The HBONE peer (127.0.0.1) is the client workload: its labels come from the state.
      source_workload: 'client-v1',
      source_canonical_service: 'client',
      source_workload_namespace: 'demo',
      destination_service: 'web.demo.svc.cluster.local',
      destination_service_name: 'web',
      destination_service_namespace: 'demo',
      destination_workload: 'web-v1',
      destination_principal: WEB_ID.toString(),
      request_protocol: 'tcp',
      connection_security_policy: 'mutual_tls',
      response_flags: '-',
    });
    const closed = await series(registry, 'istio_tcp_connections_closed_total');
    expect(closed.map((s) => [s.labels.source_principal, s.labels.response_flags, s.value]).sort()).toEqual([
      [CLIENT_ID.toString(), '-', 1],
      [OTHER_ID.toString(), 'DENY', 1],
    ]);
    const sent = await series(registry, 'istio_tcp_sent_bytes_total');
    expect(sent.find((s) => s.labels.source_principal === CLIENT_ID.toString())!.value).toBe('web:abcde'.length);
  });
});

describe('plaintext inbound', () => {
  it('relays plaintext under PERMISSIVE (no policy) to the workload’s single port', async () => {
    const { plaintext, registry, inbound } = await setUp();
    expect(await plain(plaintext, 'plain')).toBe('web:plain');
    await eventually(async () => ((await series(registry, 'istio_tcp_connections_closed_total')).length === 1 ? true : undefined), 'closed connection');
    expect((await series(registry, 'istio_tcp_connections_opened_total'))[0]!.labels).toMatchObject({ connection_security_policy: 'unknown', source_principal: 'unknown', destination_workload: 'web-v1' });
    expect(inbound.status().plaintext).toMatchObject({ relayed: 1, denied: 0, open: 0 });
  });

  it('resets plaintext under STRICT, while HBONE still gets through', async () => {
    const { plaintext, tunnel, pool, echo, inbound } = await setUp([STATIC_STRICT.name]);
    expect(await plain(plaintext, 'plain')).toBe('ECONNRESET');
    expect(echo.connections).toBe(0);
    expect(await exchange(await tunnel(pool()), 'meshed')).toBe('web:meshed');
    expect(inbound.status().plaintext).toMatchObject({ denied: 1, relayed: 0 });
  });

  it('applies a PeerAuthentication change to new connections', async () => {
    const { plaintext, state, echo } = await setUp();
    expect(await plain(plaintext, 'before')).toBe('web:before');
    state.applyAddresses({ upserted: webWorkloads(echo, [STATIC_STRICT.name]), removed: [] });
    expect(await plain(plaintext, 'after')).toBe('ECONNRESET');
  });

  it('resets a connection to a workload that serves several ports', async () => {
    const { listeners, inbound } = await setUp();
    const multi = listeners.addressOf('plaintext', 'Kubernetes//Pod/demo/multi')!;
    expect(await plain(multi, 'which port?')).toBe('ECONNRESET');
    expect(inbound.status().plaintext).toMatchObject({ refused: 1 });
  });
});
