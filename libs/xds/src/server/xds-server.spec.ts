import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import type { ConvergenceEvent, NackEvent, StaleNonceEvent } from '../channels.js';
import { XDS_CHANNELS } from '../channels.js';
import { GrpcStatus } from '../errors.js';
import type { DeltaDiscoveryResponse } from '../generated/envoy.service.discovery.v3.js';
import { securityV1, workloadV1 } from '../index.js';
import { toStruct } from '../proto/struct.js';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL } from '../type-urls.js';
import { ChannelRecorder } from '../__support__/events.js';
import { startServer, upserts, workload, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, ZTUNNEL_IDENTITY, type TestPki } from '../__support__/pki.js';
import { RawAdsStream } from '../__support__/raw-ads.js';
import { eventually } from '../__support__/wait.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(addresses: ResourceCache<workloadV1.Address>, more: ResourceCache<unknown>[] = [], options: Parameters<typeof startServer>[2] = {}): Promise<RunningServer> {
  const running = await startServer(pki, [addresses, ...more], options);
  cleanups.push(() => running.close());
  return running;
}

function open(running: RunningServer, identity = ZTUNNEL_IDENTITY): RawAdsStream {
  const raw = new RawAdsStream(running.target, pki.client(identity));
  cleanups.push(() => raw.close());
  return raw;
}

function record<T>(name: (typeof XDS_CHANNELS)[keyof typeof XDS_CHANNELS]): ChannelRecorder<T> {
  const recorder = new ChannelRecorder<T>(name);
  cleanups.push(() => recorder.stop());
  return recorder;
}

function addressCache(entries: Record<string, string> = {}): ResourceCache<workloadV1.Address> {
  const cache = new ResourceCache(workloadV1.Address);
  cache.apply({ upserted: Object.entries(entries).map(([name, version]) => [name, { version, resource: workload(name) }]) });
  return cache;
}

/** `name@version` of a response's resources, and its removals. */
function summary(response: DeltaDiscoveryResponse): { resources: string[]; removed: string[] } {
  return { resources: response.resources.map((r) => `${r.name}@${r.version}`).sort(), removed: [...response.removedResources].sort() };
}

/**
 * Proves nothing else is pending for the type: subscribing to a name that does not exist
 * must be answered with exactly its removal. Anything the server still had to send
 * would have been coalesced into this response.
 */
async function expectNothingPending(raw: RawAdsStream, typeUrl = ADDRESS_TYPE_URL): Promise<void> {
  const probe = `probe-${Math.random().toString(36).slice(2)}`;
  raw.send({ typeUrl, resourceNamesSubscribe: [probe] });
  const response = raw.ack(await raw.next(`the answer to ${probe}`));
  expect(summary(response)).toEqual({ resources: [], removed: [probe] });
}

describe('XdsServer subscriptions', () => {
  it('sends a wildcard subscriber (empty first request) every resource, decodable with the generated types', async () => {
    const running = await serve(addressCache({ a: '1', b: '1' }));
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    const response = raw.ack(await raw.next());
    expect(response.typeUrl).toBe(ADDRESS_TYPE_URL);
    expect(response.nonce).not.toBe('');
    expect(summary(response)).toEqual({ resources: ['a@1', 'b@1'], removed: [] });
    const first = response.resources.find((r) => r.name === 'a')!;
    expect(first.resource!.type_url).toBe(ADDRESS_TYPE_URL);
    expect(workloadV1.Address.decode(first.resource!.value)).toMatchObject({ type: 'workload', workload: { uid: 'a' } });
  });

  it('treats "*" as a wildcard too, and answers even when there is nothing to send', async () => {
    const running = await serve(addressCache());
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['*'] });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: [], removed: [] });
    expect(running.server.syncStatus()[0]!.types[0]!.wildcard).toBe(true);
  });

  it('sends a named subscriber only what it named, and tells it which names do not exist', async () => {
    const running = await serve(addressCache({ a: '1', b: '1', c: '1' }));
    const raw = open(running);
    raw.send({ node: { id: 'waypoint-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['a', 'missing'] });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['a@1'], removed: ['missing'] });
    raw.send({ typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['c'] });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['c@1'], removed: [] });
  });

  it('stops pushing a resource once it is unsubscribed', async () => {
    const cache = addressCache({ a: '1', b: '1' });
    const running = await serve(cache);
    const raw = open(running);
    raw.send({ node: { id: 'waypoint-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['a', 'b'] });
    raw.ack(await raw.next());
    raw.send({ typeUrl: ADDRESS_TYPE_URL, resourceNamesUnsubscribe: ['a'] });
    // Requests are processed in order: once the probe is answered, so is the unsubscribe.
    await expectNothingPending(raw);
    cache.apply({ upserted: upserts({ a: ['2', workload('a')] }) });
    await expectNothingPending(raw);
    cache.apply({ upserted: upserts({ b: ['2', workload('b')] }) });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['b@2'], removed: [] });
  });

  it('pushes only the changed resource, and only to the streams that track it', async () => {
    const cache = addressCache({ a: '1', b: '1' });
    const running = await serve(cache);
    const everything = open(running);
    const onlyB = open(running);
    everything.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    onlyB.send({ node: { id: 'waypoint-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['b'] });
    everything.ack(await everything.next());
    onlyB.ack(await onlyB.next());

    cache.apply({ upserted: upserts({ a: ['2', workload('a')] }) });
    const change = everything.ack(await everything.next());
    expect(summary(change)).toEqual({ resources: ['a@2'], removed: [] });
    await expectNothingPending(onlyB);
  });

  it('reports how long a change took from the cache to the proxy\'s ACK, but not the initial sync', async () => {
    const converged = record<ConvergenceEvent>(XDS_CHANNELS.converged);
    const cache = addressCache({ a: '1' });
    const running = await serve(cache);
    const stream = open(running);
    stream.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    const initial = stream.ack(await stream.next());

    cache.apply({ upserted: upserts({ a: ['2', workload('a')] }) });
    const change = stream.ack(await stream.next());
    // The initial sync's ACK came first; had it been measured, its event would be first.
    const [event, ...more] = await eventually(() => {
      if (converged.events.length === 0) throw new Error('no convergence event yet');
      return converged.events;
    }, 'a convergence event');
    expect(more).toEqual([]);
    expect(event!.nonce).not.toBe(initial.nonce);
    expect(event).toMatchObject({ nodeId: 'ztunnel-1', typeUrl: ADDRESS_TYPE_URL, nonce: change.nonce });
    expect(event!.changeToAckMs).toBeGreaterThanOrEqual(0);
  });

  it('sends removals to the streams that hold the resource', async () => {
    const cache = addressCache({ a: '1', b: '1' });
    const running = await serve(cache);
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    raw.ack(await raw.next());
    cache.apply({ removed: ['a', 'never-existed'] });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: [], removed: ['a'] });
  });

  it('serves several types on one stream, each with its own nonces and subscriptions', async () => {
    const authorizations = new ResourceCache(securityV1.Authorization);
    authorizations.apply({ upserted: [['ns/allow', { version: '1', resource: { name: 'allow', namespace: 'ns', action: securityV1.Action.ALLOW } }]] });
    const running = await serve(addressCache({ a: '1' }), [authorizations]);
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    raw.send({ typeUrl: AUTHORIZATION_TYPE_URL });
    const responses = [raw.ack(await raw.next()), raw.ack(await raw.next())];
    expect(Object.fromEntries(responses.map((r) => [r.typeUrl, summary(r).resources]))).toEqual({
      [ADDRESS_TYPE_URL]: ['a@1'],
      [AUTHORIZATION_TYPE_URL]: ['ns/allow@1'],
    });
    expect(responses[0]!.nonce).not.toBe(responses[1]!.nonce);
  });

  it('splits a state larger than maxResponseBytes into several responses', async () => {
    const cache = addressCache(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`w${i}`, '1'])));
    const running = await serve(cache, [], { limits: { maxResponseBytes: 2048, maxSendBufferBytes: 4096 } });
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['*'] });
    const received = new Set<string>();
    let responses = 0;
    while (received.size < 40) {
      const response = raw.ack(await raw.next());
      responses++;
      for (const resource of response.resources) received.add(resource.name);
    }
    expect(responses).toBeGreaterThan(1);
    await expectNothingPending(raw);
  });
});

describe('XdsServer ACK and NACK', () => {
  it('records a NACK, keeps the proxy on its last good versions and does not resend the rejected version', async () => {
    const cache = addressCache({ a: '1' });
    const running = await serve(cache);
    const nacks = record<NackEvent>(XDS_CHANNELS.nack);
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['*'] });
    raw.ack(await raw.next());

    cache.apply({ upserted: upserts({ a: ['2', workload('a')] }) });
    const bad = await raw.next();
    raw.send({ typeUrl: ADDRESS_TYPE_URL, responseNonce: bad.nonce, errorDetail: { code: GrpcStatus.INVALID_ARGUMENT, message: 'a@2: bad port' } });
    const event = await nacks.waitFor((e) => e.nonce === bad.nonce, 'the NACK event');
    expect(event).toMatchObject({ nodeId: 'ztunnel-1', typeUrl: ADDRESS_TYPE_URL, message: 'a@2: bad port', rejected: [{ name: 'a', version: '2' }] });

    await expectNothingPending(raw);
    const [status] = running.server.syncStatus();
    const type = status!.types[0]!;
    expect(type.lastNack).toMatchObject({ nonce: bad.nonce, code: GrpcStatus.INVALID_ARGUMENT, message: 'a@2: bad port', rejected: { a: '2' }, rejectedCount: 1 });
    // By the server's account the proxy still runs version 1.
    expect(running.server.resourceVersions(status!.proxy.streamId, ADDRESS_TYPE_URL)).toEqual(new Map([['a', '1']]));

    cache.apply({ upserted: upserts({ a: ['3', workload('a')] }) });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['a@3'], removed: [] });
    await eventually(() => expect(running.server.syncStatus()[0]!.types[0]!.state).toBe('synced'), 'the ACK of a@3');
  });

  it('ignores a stale or unknown nonce but still applies the request’s subscription changes', async () => {
    const running = await serve(addressCache({ a: '1', b: '1' }));
    const stale = record<StaleNonceEvent>(XDS_CHANNELS.staleNonce);
    const raw = open(running);
    raw.send({ node: { id: 'waypoint-1' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['a'] });
    const first = raw.ack(await raw.next());
    raw.send({ typeUrl: ADDRESS_TYPE_URL, responseNonce: first.nonce, resourceNamesSubscribe: ['b'] });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['b@1'], removed: [] });
    raw.send({ typeUrl: ADDRESS_TYPE_URL, responseNonce: 'no-such-nonce', errorDetail: { message: 'late NACK' } });
    await stale.waitFor((e) => e.nonce === 'no-such-nonce', 'the stale nonce event');
    await expectNothingPending(raw);
    const type = running.server.syncStatus()[0]!.types[0]!;
    expect(type.staleNonces).toBe(2);
    expect(type.lastNack).toBeUndefined();
  });
});

describe('XdsServer reconnects', () => {
  it('sends a reconnecting proxy only what differs from its initial_resource_versions, and removals', async () => {
    const cache = addressCache({ same: '1', changed: '2', added: '1' });
    const running = await serve(cache);
    const raw = open(running);
    raw.send({
      node: { id: 'ztunnel-1' },
      typeUrl: ADDRESS_TYPE_URL,
      resourceNamesSubscribe: ['*'],
      initialResourceVersions: { same: '1', changed: '1', deleted: '1' },
    });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['added@1', 'changed@2'], removed: ['deleted'] });
  });
});

describe('XdsServer filters and sync status', () => {
  it('admits proxies by identity, shows each only what its filter allows, and re-filters on refresh', async () => {
    const cache = addressCache({ 'node-a-pod': '1' });
    cache.apply({ upserted: [['node-b-pod', { version: '1', resource: workload('node-b-pod', { node: 'node-b' }) }]] });
    let nodeBVisible = false;
    const running = await serve(cache, [], {
      admit: (proxy) => {
        if (!proxy.peer?.uris.includes(ZTUNNEL_IDENTITY)) throw new Error(`identity ${proxy.peer?.uris.join()} is not a ztunnel`);
        return (_typeUrl, _name, resource) => nodeBVisible || (resource as workloadV1.Address).type !== 'workload' || (resource as { workload: workloadV1.Workload }).workload.node === 'node-a';
      },
    });
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-a', metadata: toStruct({ node: 'node-a', role: 'ztunnel' }) }, typeUrl: ADDRESS_TYPE_URL });
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['node-a-pod@1'], removed: [] });

    nodeBVisible = true;
    running.server.refresh((proxy) => proxy.node.id === 'ztunnel-a');
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: ['node-b-pod@1'], removed: [] });
    nodeBVisible = false;
    running.server.refresh();
    expect(summary(raw.ack(await raw.next()))).toEqual({ resources: [], removed: ['node-b-pod'] });

    const status = await eventually(() => {
      const [proxy] = running.server.syncStatus();
      expect(proxy!.types[0]!.state).toBe('synced');
      return proxy;
    }, 'the ACK of the removal');
    expect(status!.proxy).toMatchObject({ node: { id: 'ztunnel-a', metadata: { node: 'node-a', role: 'ztunnel' } }, peer: { uris: [ZTUNNEL_IDENTITY] } });
    expect(status!.proxy.peer!.certificate.subjectAltName).toBe(`URI:${ZTUNNEL_IDENTITY}`);
    expect(status!.types).toEqual([
      expect.objectContaining({ typeUrl: ADDRESS_TYPE_URL, wildcard: true, subscribedNames: [], resourceCount: 1, state: 'synced', staleNonces: 0 }),
    ]);
    const type = status!.types[0]!;
    expect(type.lastAck?.nonce).toBe(type.lastSent?.nonce);
    expect(type.lastSent).toMatchObject({ resources: 0, removed: 1 });
  });

  it('refuses a proxy its admit callback rejects with PERMISSION_DENIED', async () => {
    const running = await serve(addressCache(), [], {
      admit: () => {
        throw new Error('node ztunnel-x is not in the mesh');
      },
    });
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-x' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(status.details).toContain('node ztunnel-x is not in the mesh');
    expect(running.server.syncStatus()).toEqual([]);
  });

  it('ends every stream with UNAVAILABLE when it closes', async () => {
    const running = await startServer(pki, [addressCache({ a: '1' })]);
    const raw = open(running);
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    raw.ack(await raw.next());
    await running.close();
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(status.details).toContain('shutting down');
  });
});
