import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { eventually } from '@ambit/test-support';
import { workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import type { LocalListenerKind } from './local-listener.js';
import { LocalListeners } from './local-listeners.js';
import { TcpListener } from './tcp-listener.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A kind of real TCP listeners on `port` that just close what they accept. */
function kind(name: string, port = 0): LocalListenerKind {
  return { name, create: ({ ip }) => new TcpListener({ host: ip, port, serve: (socket) => void socket.end(), listenError: (address, cause) => new Error(`${name} ${address}: ${String(cause)}`) }) };
}

async function setUp(kinds: LocalListenerKind[]) {
  const state = new ProxyState();
  state.applyAddresses({ upserted: [workload('a', { ip: '127.0.42.1' }), workload('b', { ip: '127.0.42.2' }), workload('elsewhere', { ip: '127.0.42.3', node: 'node-b' })], removed: [] });
  const listeners = new LocalListeners({ state: state.view, nodeName: 'node-a', kinds, log: SILENT_LOGGER });
  await listeners.start();
  cleanups.push(() => listeners.close(Date.now()));
  return { state, listeners };
}

describe('LocalListeners', () => {
  it('opens every kind on every address of every workload of this node, and knows its own addresses', async () => {
    const { listeners } = await setUp([kind('one'), kind('two')]);
    expect(listeners.status().map((s) => `${s.kind} ${s.workload} ${s.state}`).sort()).toEqual([
      'one Kubernetes//Pod/default/a listening',
      'one Kubernetes//Pod/default/b listening',
      'two Kubernetes//Pod/default/a listening',
      'two Kubernetes//Pod/default/b listening',
    ]);
    const one = listeners.addressOf('one', 'Kubernetes//Pod/default/a')!;
    expect(one.host).toBe('127.0.42.1');
    expect(listeners.owns('127.0.42.1', one.port)).toBe(true);
    expect(listeners.owns('127.0.42.2', one.port)).toBe(listeners.addressOf('one', 'Kubernetes//Pod/default/b')!.port === one.port);
    expect(listeners.addressOf('one', 'Kubernetes//Pod/default/elsewhere')).toBeUndefined();
  });

  it('closes the listeners of a workload that leaves, and reports an address it cannot bind', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.42.2', port: 0 }, resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as AddressInfo).port;
    const { state, listeners } = await setUp([kind('fixed', port)]);
    expect(listeners.status().find((s) => s.workload.endsWith('/b'))!.state).toMatch(/EADDRINUSE/);
    const a = listeners.addressOf('fixed', 'Kubernetes//Pod/default/a')!;
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/default/a'] });
    await eventually(() => (listeners.status().some((s) => s.workload.endsWith('/a')) ? undefined : true), 'the listener of a to close');
    expect(listeners.owns(a.host, a.port)).toBe(false);
    await listeners.close(Date.now());
    expect(listeners.status()).toEqual([]);
  });
});
