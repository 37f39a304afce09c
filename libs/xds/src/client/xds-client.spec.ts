import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import { XDS_CHANNELS, type ClientDisconnectedEvent, type ClientNackEvent } from '../channels.js';
import { XdsClientClosedError, XdsOptionError, XdsSyncTimeoutError } from '../errors.js';
import { securityV1, workloadV1 } from '../index.js';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL } from '../type-urls.js';
import { XdsClientCredentials } from '../tls/client-credentials.js';
import { ChannelRecorder } from '../__support__/events.js';
import { startServer, upserts, workload, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, type TestPki } from '../__support__/pki.js';
import { eventually, Signal } from '../__support__/wait.js';
import { watchResources, type ResourceUpdate } from './resource-watch.js';
import { XdsClient, type XdsClientOptions } from './xds-client.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a proxy would build from its updates: name → version, plus every update seen. */
class Store<T> {
  readonly versions = new Map<string, string>();
  readonly resources = new Map<string, T>();
  readonly updates: ResourceUpdate<T>[] = [];
  readonly changed = new Signal();
  reject: (update: ResourceUpdate<T>) => string | undefined = () => undefined;

  readonly apply = (update: ResourceUpdate<T>): void => {
    this.updates.push(update);
    try {
      const reason = this.reject(update);
      if (reason !== undefined) throw new Error(reason);
      for (const { name, version, resource } of update.upserted) {
        this.versions.set(name, version);
        this.resources.set(name, resource);
      }
      for (const name of update.removed) {
        this.versions.delete(name);
        this.resources.delete(name);
      }
    } finally {
      this.changed.notify();
    }
  };

  async until(expected: Record<string, string>, what = JSON.stringify(expected)): Promise<void> {
    await this.changed.until(() => JSON.stringify(Object.fromEntries([...this.versions].sort())) === JSON.stringify(Object.fromEntries(Object.entries(expected).sort())), what);
  }
}

function addressCache(entries: Record<string, string>): ResourceCache<workloadV1.Address> {
  const cache = new ResourceCache(workloadV1.Address);
  cache.apply({ upserted: Object.entries(entries).map(([name, version]) => [name, { version, resource: workload(name) }]) });
  return cache;
}

async function serve(cache: ResourceCache<workloadV1.Address>, port = 0): Promise<RunningServer> {
  const running = await startServer(pki, [cache], { port });
  cleanups.push(() => running.close());
  return running;
}

function client(target: string, options: Partial<XdsClientOptions> & Pick<XdsClientOptions, 'resources'>): XdsClient {
  const xds = new XdsClient({
    target,
    credentials: new XdsClientCredentials(pki.client()),
    node: { id: `ztunnel-${Math.random().toString(36).slice(2, 8)}`, metadata: { role: 'ztunnel' } },
    backoff: { initialMs: 20, maxMs: 100 },
    ...options,
  });
  cleanups.push(() => xds.close());
  xds.start();
  return xds;
}

function record<T>(name: (typeof XDS_CHANNELS)[keyof typeof XDS_CHANNELS]): ChannelRecorder<T> {
  const recorder = new ChannelRecorder<T>(name);
  cleanups.push(() => recorder.stop());
  return recorder;
}

describe('XdsClient', () => {
  it('wildcard-subscribes, applies the state and reports synced', async () => {
    const cache = addressCache({ a: '1', b: '1' });
    const running = await serve(cache);
    const store = new Store<workloadV1.Address>();
    const xds = client(running.target, { resources: [watchResources(workloadV1.Address, store.apply)] });
    await xds.whenSynced(5_000);
    expect(xds.synced).toBe(true);
    expect(xds.isSynced(ADDRESS_TYPE_URL)).toBe(true);
    expect(Object.fromEntries(store.versions)).toEqual({ a: '1', b: '1' });
    const a = store.resources.get('a')!;
    expect(a.type === 'workload' && [a.workload.uid, [...a.workload.addresses[0]!]]).toEqual(['a', [10, 0, 0, 1]]);
    expect(xds.status()).toMatchObject({ connected: true, types: [{ typeUrl: ADDRESS_TYPE_URL, wildcard: true, synced: true, resources: 2 }] });
    const [proxy] = await eventually(() => {
      const status = running.server.syncStatus();
      expect(status[0]?.types[0]?.state).toBe('synced');
      return status;
    }, 'the server to see the ACK');
    expect(proxy!.proxy.node.metadata).toEqual({ role: 'ztunnel' });
  });

  it('applies incremental changes and removals as they come', async () => {
    const cache = addressCache({ a: '1', b: '1' });
    const running = await serve(cache);
    const store = new Store<workloadV1.Address>();
    const xds = client(running.target, { resources: [watchResources(workloadV1.Address, store.apply)] });
    await xds.whenSynced(5_000);
    cache.apply({ upserted: upserts({ b: ['2', workload('b')] }) });
    await store.until({ a: '1', b: '2' });
    expect(store.updates.at(-1)).toMatchObject({ upserted: [{ name: 'b', version: '2' }], removed: [] });
    cache.apply({ removed: ['a'] });
    await store.until({ b: '2' });
    expect(store.updates.at(-1)).toMatchObject({ upserted: [], removed: ['a'] });
  });

  it('NACKs what the handler rejects, keeps its last good state, and applies the next good version', async () => {
    const cache = addressCache({ a: '1' });
    const running = await serve(cache);
    const nacks = record<ClientNackEvent>(XDS_CHANNELS.clientNack);
    const store = new Store<workloadV1.Address>();
    store.reject = (update) => (update.upserted.some((u) => u.version === 'bad') ? 'a has a bad version' : undefined);
    const xds = client(running.target, { resources: [watchResources(workloadV1.Address, store.apply)] });
    await xds.whenSynced(5_000);

    cache.apply({ upserted: upserts({ a: ['bad', workload('a')] }) });
    await nacks.waitFor((e) => e.message === 'a has a bad version', 'the NACK');
    expect(Object.fromEntries(store.versions)).toEqual({ a: '1' });
    expect(xds.resourceVersions(ADDRESS_TYPE_URL)).toEqual(new Map([['a', '1']]));
    await eventually(
      () => expect(running.server.syncStatus()[0]!.types[0]!.lastNack).toMatchObject({ message: 'a has a bad version', rejected: { a: 'bad' } }),
      'the server to record the NACK',
    );

    cache.apply({ upserted: upserts({ a: ['3', workload('a')] }) });
    await store.until({ a: '3' });
    expect(store.updates.filter((u) => u.upserted.some((r) => r.version === 'bad'))).toHaveLength(1);
  });

  it('reconnects with its versions and receives only the difference and the removals', async () => {
    const before = addressCache({ same: '1', changed: '1', deleted: '1' });
    const first = await serve(before);
    const disconnects = record<ClientDisconnectedEvent>(XDS_CHANNELS.clientDisconnected);
    const store = new Store<workloadV1.Address>();
    const xds = client(first.target, { resources: [watchResources(workloadV1.Address, store.apply)] });
    await xds.whenSynced(5_000);
    const seen = store.updates.length;

    await first.close();
    const event = await disconnects.waitFor(() => true, 'the disconnect');
    expect(event.error.code).toBe('AMBIT_ERR_XDS_CONNECTION');
    // The state stays while the control plane is away.
    expect(xds.synced).toBe(true);
    expect(Object.fromEntries(store.versions)).toEqual({ same: '1', changed: '1', deleted: '1' });

    await serve(addressCache({ same: '1', changed: '2', added: '1' }), first.port);
    await store.until({ same: '1', changed: '2', added: '1' });
    const after = store.updates.slice(seen);
    expect(after).toHaveLength(1);
    expect(after[0]!.upserted.map((u) => `${u.name}@${u.version}`).sort()).toEqual(['added@1', 'changed@2']);
    expect(after[0]!.removed).toEqual(['deleted']);
  });

  it('subscribes by name and changes its subscription at any time', async () => {
    const cache = addressCache({ a: '1', b: '1', c: '1' });
    const running = await serve(cache);
    const store = new Store<workloadV1.Address>();
    const xds = client(running.target, { resources: [watchResources(workloadV1.Address, store.apply, { names: ['a', 'missing'] })] });
    await xds.whenSynced(5_000);
    expect(Object.fromEntries(store.versions)).toEqual({ a: '1' });
    expect(store.updates[0]!.removed).toEqual(['missing']);

    xds.subscribe(ADDRESS_TYPE_URL, ['b']);
    await store.until({ a: '1', b: '1' });
    xds.unsubscribe(ADDRESS_TYPE_URL, ['a']);
    expect(xds.resourceVersions(ADDRESS_TYPE_URL)).toEqual(new Map([['b', '1']]));
    cache.apply({ upserted: upserts({ a: ['2', workload('a')], b: ['2', workload('b')] }) });
    await eventually(() => expect(xds.resourceVersions(ADDRESS_TYPE_URL)).toEqual(new Map([['b', '2']])), 'b@2');
    expect(store.updates.some((u) => u.upserted.some((r) => r.name === 'a' && r.version === '2'))).toBe(false);
    expect(xds.status().types[0]).toMatchObject({ wildcard: false, names: ['missing', 'b'] });
  });

  it('gives two clients the same state through a series of changes', async () => {
    const cache = addressCache({ a: '1' });
    const authorizations = new ResourceCache(securityV1.Authorization);
    const running = await startServer(pki, [cache, authorizations]);
    cleanups.push(() => running.close());
    const stores = [0, 1].map(() => ({ addresses: new Store<workloadV1.Address>(), authorizations: new Store<securityV1.Authorization>() }));
    for (const store of stores) {
      client(running.target, {
        resources: [watchResources(workloadV1.Address, store.addresses.apply), watchResources(securityV1.Authorization, store.authorizations.apply)],
      });
    }
    for (let i = 0; i < 20; i++) {
      cache.apply({ upserted: upserts({ [`w${i % 7}`]: [String(i), workload(`w${i % 7}`)] }), removed: i % 5 === 4 ? [`w${(i + 3) % 7}`] : [] });
      if (i % 3 === 0) authorizations.apply({ upserted: [[`ns/p${i % 4}`, { version: String(i), resource: { name: `p${i % 4}`, namespace: 'ns' } }]] });
    }
    const expectedAddresses = Object.fromEntries([...cache.names()].map((name) => [name, cache.get(name)!.version]));
    const expectedAuthorizations = Object.fromEntries([...authorizations.names()].map((name) => [name, authorizations.get(name)!.version]));
    for (const store of stores) {
      await store.addresses.until(expectedAddresses);
      await store.authorizations.until(expectedAuthorizations);
    }
  });

  it('reports why it cannot sync, within the time asked, and stops on close', async () => {
    // A port with a listener that is not gRPC: connections fail, the client keeps retrying.
    const blackhole = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blackhole.close(resolve)));
    const { port } = blackhole.address() as { port: number };
    const disconnects = record<ClientDisconnectedEvent>(XDS_CHANNELS.clientDisconnected);
    const xds = client(`127.0.0.1:${port}`, { resources: [watchResources(workloadV1.Address, () => undefined)] });
    await expect(xds.whenSynced(200)).rejects.toBeInstanceOf(XdsSyncTimeoutError);
    await disconnects.waitFor((e) => e.retryInMs > 0, 'a failed attempt');
    expect(xds.status()).toMatchObject({ connected: false, lastError: { code: 'AMBIT_ERR_XDS_CONNECTION' } });
    const waiting = xds.whenSynced(5_000);
    xds.close();
    await expect(waiting).rejects.toBeInstanceOf(XdsClientClosedError);
    expect(() => xds.start()).toThrow(XdsClientClosedError);
  });

  it('validates its options', () => {
    const base = { target: 'x:1', credentials: new XdsClientCredentials(pki.client()), node: { id: 'n' }, resources: [watchResources(workloadV1.Address, () => undefined)] };
    expect(() => new XdsClient({ ...base, node: { id: '' } })).toThrow(XdsOptionError);
    expect(() => new XdsClient({ ...base, target: '' })).toThrow(/target/);
    expect(() => new XdsClient({ ...base, resources: [] })).toThrow(XdsOptionError);
    expect(() => new XdsClient({ ...base, resources: [...base.resources, ...base.resources] })).toThrow(/is watched twice/);
    expect(() => new XdsClient({ ...base, backoff: { initialMs: 100, maxMs: 10 } })).toThrow(/backoff.maxMs/);
    expect(() => new XdsClient({ ...base, responseTimeoutMs: 0 })).toThrow(/responseTimeoutMs/);
    expect(() => watchResources(workloadV1.Address, () => undefined, { names: [] })).toThrow(XdsOptionError);
    expect(() => new XdsClient(base).subscribe(AUTHORIZATION_TYPE_URL, ['x'])).toThrow(/is not watched by this client/);
  });
});
