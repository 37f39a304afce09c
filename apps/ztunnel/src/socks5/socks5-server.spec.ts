import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { service, workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import { DestinationResolver, OutboundPlanner, TcpConnector } from '../outbound/index.js';
import { startEchoServer, type EchoServer } from './__support__/echo-server.js';
import { exchange, rawExchange, socks5Connect } from './__support__/socks5-client.js';
import { Socks5Server, type Socks5Outcome } from './socks5-server.js';
import { Reply } from './protocol.js';

const WEB = 'legacy/web.legacy.svc.cluster.local';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { handshakeTimeoutMs?: number } = {}) {
  // Loopback addresses stand for pod IPs (Linux routes all of 127.0.0.0/8 to lo); 127.0.0.1 is outside the mesh.
  const echoes: EchoServer[] = [await startEchoServer('one', '127.0.0.2'), await startEchoServer('two', '127.0.0.3'), await startEchoServer('outside', '127.0.0.1')];
  cleanups.push(...echoes.map((e) => () => e.close()));
  const state = new ProxyState();
  state.applyAddresses({
    upserted: [
      workload('client', { ip: '127.0.0.9', namespace: 'legacy' }),
      service('web', { namespace: 'legacy', vips: ['10.96.0.20'], ports: [[80, 0]] }),
      workload('web-1', { ip: '127.0.0.2', hbone: false, namespace: 'legacy', services: { [WEB]: [[80, echoes[0]!.port]] } }),
      workload('web-2', { ip: '127.0.0.3', hbone: false, namespace: 'legacy', services: { [WEB]: [[80, echoes[1]!.port]] } }),
      workload('meshed', { ip: '127.0.0.4', namespace: 'legacy' }),
    ],
    removed: [],
  });
  const outcomes: Socks5Outcome[] = [];
  const server = new Socks5Server(
    { host: '127.0.0.1', port: 0, source: () => state.view.workloads.byUid('Kubernetes//Pod/legacy/client') },
    {
      resolver: new DestinationResolver(state.view, { clusterDomain: 'cluster.local', lookup: async (host) => (host === 'localhost.test' ? '127.0.0.1' : Promise.reject(new Error('NXDOMAIN'))) }),
      planner: new OutboundPlanner(state.view),
      connector: new TcpConnector(),
      log: SILENT_LOGGER,
      onOutcome: (outcome) => outcomes.push(outcome),
      ...options,
    },
  );
  await server.listen();
  cleanups.push(() => server.close(Date.now()));
  return { server, proxy: server.address!, echoes, outcomes };
}

describe('Socks5Server over real sockets', () => {
  it('relays to a mesh service by short name, full name and VIP, spreading over both endpoints', async () => {
    const { proxy, echoes, outcomes } = await setUp();
    const answers: string[] = [];
    for (const host of ['web', 'web.legacy', 'web.legacy.svc.cluster.local', '10.96.0.20']) {
      const { reply, socket } = await socks5Connect(proxy, { host, port: 80 });
      expect(reply).toBe(Reply.succeeded);
      answers.push(await exchange(socket, host));
    }
    expect(answers.sort()).toEqual(['one:web', 'one:web.legacy.svc.cluster.local', 'two:10.96.0.20', 'two:web.legacy']);
    expect(echoes.map((e) => e.connections)).toEqual([2, 2, 0]);
    expect(outcomes.filter((o) => o === 'relayed')).toHaveLength(4);
  });

  it('passes addresses outside the mesh, and names the system resolver knows, through', async () => {
    const { proxy, echoes } = await setUp();
    const direct = await socks5Connect(proxy, { host: '127.0.0.1', port: echoes[2]!.port });
    expect(await exchange(direct.socket, 'ip')).toBe('outside:ip');
    const named = await socks5Connect(proxy, { host: 'localhost.test', port: echoes[2]!.port });
    expect(await exchange(named.socket, 'name')).toBe('outside:name');
  });

  it('answers refused, unreachable and unsupported with their RFC 1928 replies', async () => {
    const { proxy } = await setUp();
    const closed = await startEchoServer('closed');
    await closed.close();
    expect((await socks5Connect(proxy, { host: '127.0.0.1', port: closed.port })).reply).toBe(Reply.connectionRefused);
    expect((await socks5Connect(proxy, { host: 'nowhere.invalid', port: 80 })).reply).toBe(Reply.hostUnreachable);
    expect((await socks5Connect(proxy, { host: 'web', port: 81 })).reply).toBe(Reply.hostUnreachable);
    // A mesh (HBONE) workload is never reached in plain text.
    expect((await socks5Connect(proxy, { host: '127.0.0.4', port: 80 })).reply).toBe(Reply.generalFailure);
  });

  it('refuses bad handshakes with the right bytes and keeps serving', async () => {
    const { proxy, outcomes } = await setUp();
    expect([...(await rawExchange(proxy, [Buffer.from([5, 1, 2])]))]).toEqual([5, 0xff]);
    expect([...(await rawExchange(proxy, [Buffer.from([5, 1, 0]), Buffer.from([5, 2, 0, 1, 1, 2, 3, 4, 0, 80])]))]).toEqual([5, 0, 5, Reply.commandNotSupported, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...(await rawExchange(proxy, [Buffer.from([5, 1, 0]), Buffer.from([5, 1, 0, 9])]))]).toEqual([5, 0, 5, Reply.addressTypeNotSupported, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...(await rawExchange(proxy, [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]))]).toEqual([]);
    expect([...(await rawExchange(proxy, [Buffer.from([5, 1, 0]), Buffer.from([5, 1, 0, 3, 20, 97])], { endAfter: true }))]).toEqual([5, 0]);
    expect(outcomes).toEqual(['handshake-failed', 'handshake-failed', 'handshake-failed', 'handshake-failed', 'handshake-failed']);
    const { reply } = await socks5Connect(proxy, { host: 'web', port: 80 });
    expect(reply).toBe(Reply.succeeded);
  });

  it('closes a connection whose handshake does not finish in time', async () => {
    const { proxy } = await setUp({ handshakeTimeoutMs: 100 });
    expect([...(await rawExchange(proxy, [Buffer.from([5, 1, 0]), Buffer.from([5, 1])]))]).toEqual([5, 0]);
  });

  it('forwards optimistic data sent together with the request', async () => {
    const { proxy, echoes } = await setUp();
    const port = Buffer.alloc(2);
    port.writeUInt16BE(echoes[2]!.port);
    const answer = await rawExchange(proxy, [Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1]), port, Buffer.from('early')])], { endAfter: true });
    expect(answer.subarray(2 + 10).toString()).toBe('outside:early');
  });

  it('drains: stops accepting at once, lets open relays finish, cuts them at the deadline', async () => {
    const { server, proxy } = await setUp();
    const open = await socks5Connect(proxy, { host: 'web', port: 80 });
    const closed = new Promise<void>((resolve) => open.socket.once('close', () => resolve()));
    open.socket.on('error', () => undefined);
    const draining = server.close(Date.now() + 200);
    await expect(socks5Connect(proxy, { host: 'web', port: 80 })).rejects.toThrow(/ECONNREFUSED/);
    // Nobody ends the relayed connection: only the deadline does.
    await draining;
    await closed;
  });
});
