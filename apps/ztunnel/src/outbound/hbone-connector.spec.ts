import { connect as connectTcp } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { HbonePool, HboneServer, relay, type HboneHandler, type IpPort, type WorkloadCertificate } from '@ambit/hbone';
import { testPki, type Pki } from '@ambit/hbone/testing';
import { startEchoServer, type EchoServer } from '../socks5/__support__/echo-server.js';
import { workload } from '../state/__support__/resources.js';
import { ProxyState, type Workload } from '../state/index.js';
import { HboneTunnelError } from './errors.js';
import { HboneConnector } from './hbone-connector.js';
import type { OutboundPlan } from './plan.js';

const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/client');
const SERVER = SpiffeId.parse('spiffe://cluster.local/ns/default/sa/default');

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function sourceWorkload(): Workload {
  const state = new ProxyState();
  state.applyAddresses({ upserted: [workload('client', { ip: '127.0.94.5', overrides: { serviceAccount: 'client', canonicalName: 'client', canonicalRevision: 'v1', workloadName: 'client-7d4f', clusterId: 'Kubernetes' } })], removed: [] });
  return state.view.workloads.byUid('Kubernetes//Pod/default/client')!;
}

interface Seen {
  readonly peer: string;
  readonly identity: string | undefined;
  readonly forwarded: string | undefined;
  readonly baggage: string | undefined;
}

/** An HBONE server answering as SERVER that relays to the inner target, as a destination ztunnel does; `status` refuses instead. */
async function hboneServer(pki: Pki, seen: Seen[], status?: number): Promise<IpPort> {
  const certificate = pki.issue(SERVER);
  const handler: HboneHandler = (request) => {
    seen.push({ peer: request.peer.ip, identity: request.clientIdentity.toString(), forwarded: request.forwarded, baggage: request.baggage });
    if (status !== undefined) return request.reject(status);
    const upstream = connectTcp({ host: request.destination.ip, port: request.destination.port, allowHalfOpen: true });
    upstream.once('connect', () => void relay(upstream, request.accept()));
    upstream.once('error', () => request.reject(503));
  };
  const server = new HboneServer({ trust: pki.trust, certificateFor: () => certificate, handler });
  closers.push(() => server.close(100));
  return server.listen({ host: '127.0.0.1', port: 0 });
}

function connector(pki: Pki, certificate: WorkloadCertificate = pki.issue(CLIENT)): HboneConnector {
  const pool = new HbonePool({ trust: pki.trust, clientCertificate: () => certificate });
  closers.push(() => pool.close(100));
  return new HboneConnector(pool);
}

function plan(source: Workload, hbone: IpPort, echo: EchoServer, identities: readonly string[] = [SERVER.toString()]): OutboundPlan {
  return {
    route: 'direct',
    protocol: 'HBONE',
    source,
    nextHop: hbone,
    hboneTarget: `${echo.host}:${echo.port}`,
    destinationWorkload: undefined,
    destinationService: undefined,
    upstreamIdentities: identities,
  };
}

async function exchange(stream: Duplex, text: string): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.end(text);
  await new Promise((resolve) => stream.once('end', resolve));
  return Buffer.concat(chunks).toString();
}

async function echo(): Promise<EchoServer> {
  const server = await startEchoServer('echo');
  closers.push(() => server.close());
  return server;
}

describe('HboneConnector', () => {
  it('tunnels to the inner target with the source certificate and tells the server who the source is', async () => {
    const pki = await testPki();
    const seen: Seen[] = [];
    const target = await echo();
    const stream = await connector(pki).connect(plan(sourceWorkload(), await hboneServer(pki, seen), target), new AbortController().signal);
    expect(await exchange(stream, 'hello')).toBe('echo:hello');
    expect(seen[0]!.identity).toBe(CLIENT.toString());
    // Sent from the source workload's address.
    expect(seen[0]!.peer).toBe('127.0.94.5');
    expect(seen[0]!.forwarded).toBe('for=127.0.94.5');
    expect(seen[0]!.baggage).toBe('k8s.cluster.name=Kubernetes,k8s.namespace.name=default,k8s.pod.name=client-7d4f,service.name=client,service.version=v1');
  });

  it('refuses a server that does not hold an identity the plan allows', async () => {
    const pki = await testPki();
    const target = await echo();
    const attempt = connector(pki).connect(plan(sourceWorkload(), await hboneServer(pki, []), target, ['spiffe://cluster.local/ns/default/sa/someone-else']), new AbortController().signal);
    await expect(attempt).rejects.toMatchObject({ code: 'AMBIT_ERR_ZTUNNEL_HBONE_TUNNEL', reason: 'failed' });
    expect(target.connections).toBe(0);
  });

  it('reports a tunnel the destination denies as refused', async () => {
    const pki = await testPki();
    const target = await echo();
    const attempt = connector(pki).connect(plan(sourceWorkload(), await hboneServer(pki, [], 403), target), new AbortController().signal);
    await expect(attempt).rejects.toBeInstanceOf(HboneTunnelError);
    await expect(attempt).rejects.toMatchObject({ reason: 'refused' });
  });

  it('reports a closed HBONE port as refused and an unknown CONNECT target as unsupported', async () => {
    const pki = await testPki();
    const target = await echo();
    const closed = { ip: '127.0.0.1', port: target.port + 1 === 65536 ? 1 : target.port + 1 };
    await expect(connector(pki).connect(plan(sourceWorkload(), closed, target), new AbortController().signal)).rejects.toMatchObject({ reason: expect.stringMatching(/refused|unreachable/) });
    const byName = { ...plan(sourceWorkload(), closed, target), hboneTarget: 'reviews.default.svc.cluster.local:9080' };
    await expect(connector(pki).connect(byName, new AbortController().signal)).rejects.toMatchObject({ reason: 'unsupported' });
  });

  it('gives up when the caller aborts', async () => {
    const pki = await testPki();
    const target = await echo();
    const abort = new AbortController();
    abort.abort(new Error('client went away'));
    await expect(connector(pki).connect(plan(sourceWorkload(), await hboneServer(pki, []), target), abort.signal)).rejects.toThrow('client went away');
  });

  it('sends plain TCP plans over plain TCP', async () => {
    const pki = await testPki();
    const target = await echo();
    const tcp: OutboundPlan = { ...plan(sourceWorkload(), { ip: target.host, port: target.port }, target), protocol: 'TCP', hboneTarget: undefined, upstreamIdentities: [] };
    expect(await exchange(await connector(pki).connect(tcp, new AbortController().signal), 'plain')).toBe('echo:plain');
  });
});
