import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import { XDS_CHANNELS, type StreamClosedEvent } from '../channels.js';
import { GrpcStatus } from '../errors.js';
import { securityV1, workloadV1 } from '../index.js';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL } from '../type-urls.js';
import { ChannelRecorder } from '../__support__/events.js';
import { startServer, workload, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, ZTUNNEL_IDENTITY, type TestPki } from '../__support__/pki.js';
import { RawAdsStream } from '../__support__/raw-ads.js';
import { openStalledStream } from '../__support__/stalled-stream.js';
import type { XdsServerLimits } from './limits.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(limits: Partial<XdsServerLimits> = {}, resources: ResourceCache<unknown>[] = []): Promise<RunningServer> {
  const addresses = new ResourceCache(workloadV1.Address);
  addresses.apply({ upserted: [['a', { version: '1', resource: workload('a') }]] });
  const running = await startServer(pki, [addresses, ...resources], { limits });
  cleanups.push(() => running.close());
  return running;
}

function open(running: RunningServer): RawAdsStream {
  const raw = new RawAdsStream(running.target, pki.client());
  cleanups.push(() => raw.close());
  return raw;
}

function closedStreams(): ChannelRecorder<StreamClosedEvent> {
  const recorder = new ChannelRecorder<StreamClosedEvent>(XDS_CHANNELS.streamClosed);
  cleanups.push(() => recorder.stop());
  return recorder;
}

/** After a refused stream, the server still serves a well-behaved proxy. */
async function expectStillServing(running: RunningServer): Promise<void> {
  const healthy = open(running);
  healthy.send({ node: { id: 'healthy' }, typeUrl: ADDRESS_TYPE_URL });
  const response = await healthy.next('a response on a healthy stream');
  expect(response.typeUrl).toBe(ADDRESS_TYPE_URL);
  expect(response.resources.length).toBeGreaterThan(0);
}

describe('XdsServer refuses bad input with a clear status', () => {
  it.each([
    {
      what: 'an unknown type URL',
      request: { node: { id: 'p' }, typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster' },
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'is not served; this server serves type.googleapis.com/ambit.workload.v1.Address',
      error: 'AMBIT_ERR_XDS_UNKNOWN_TYPE',
    },
    { what: 'a first request without node.id', request: { typeUrl: ADDRESS_TYPE_URL }, code: GrpcStatus.INVALID_ARGUMENT, details: 'must carry node.id', error: 'AMBIT_ERR_XDS_INVALID_REQUEST' },
    { what: 'an empty type URL', request: { node: { id: 'p' } }, code: GrpcStatus.INVALID_ARGUMENT, details: 'type_url is empty', error: 'AMBIT_ERR_XDS_INVALID_REQUEST' },
    {
      what: 'an empty resource name',
      request: { node: { id: 'p' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: [''] },
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'a resource name is empty',
      error: 'AMBIT_ERR_XDS_INVALID_REQUEST',
    },
    {
      what: 'more names in one request than allowed',
      request: { node: { id: 'p' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: Array.from({ length: 11 }, (_, i) => `n${i}`) },
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: 'one request: 11 names exceed the limit of 10',
      error: 'AMBIT_ERR_XDS_TOO_MANY_NAMES',
    },
  ])('refuses $what', async ({ request, code, details, error }) => {
    const running = await serve({ maxNamesPerRequest: 10 });
    const closed = closedStreams();
    const raw = open(running);
    raw.send(request);
    const status = await raw.status();
    expect(status.code).toBe(code);
    expect(status.details).toContain(details);
    const event = await closed.waitFor((e) => e.error !== undefined, 'the close event');
    expect(event.error?.code).toBe(error);
    await expectStillServing(running);
  });

  it('refuses bytes that are not a DeltaDiscoveryRequest without harm to the server', async () => {
    const running = await serve();
    for (const garbage of [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from([0x12, 0x05, 0x61]), randomBytes(64).fill(0xff, 0, 1)]) {
      const raw = open(running);
      raw.sendBytes(garbage);
      const status = await raw.status();
      expect(status.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(status.details).toContain('invalid DeltaDiscoveryRequest');
    }
    await expectStillServing(running);
  });

  it('refuses a message over maxRequestBytes with RESOURCE_EXHAUSTED', async () => {
    const running = await serve({ maxRequestBytes: 64 * 1024 });
    const raw = open(running);
    raw.send({ node: { id: 'p', cluster: 'x'.repeat(100 * 1024) }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    await expectStillServing(running);
  });

  it('refuses a stream that subscribes to more names over time than allowed', async () => {
    const running = await serve({ maxSubscribedNamesPerStream: 5 });
    const raw = open(running);
    raw.send({ node: { id: 'p' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['n1', 'n2', 'n3'] });
    raw.ack(await raw.next());
    // Names already subscribed do not count twice.
    raw.send({ typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['n1', 'n2', 'n3', 'n4', 'n5'] });
    raw.ack(await raw.next());
    raw.send({ typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['n6'] });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(status.details).toContain('subscriptions of this stream: 6 names exceed the limit of 5');
  });

  it('refuses streams beyond maxStreams', async () => {
    const running = await serve({ maxStreams: 1 });
    const first = open(running);
    first.send({ node: { id: 'p1' }, typeUrl: ADDRESS_TYPE_URL });
    await first.next();
    const second = open(running);
    second.send({ node: { id: 'p2' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await second.status();
    expect(status.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(status.details).toContain('already serves 1 streams');
  });

  it('ends a stream whose first request does not come', async () => {
    const running = await serve({ firstRequestTimeoutMs: 100 });
    const closed = closedStreams();
    const raw = open(running);
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(status.details).toContain('no DeltaDiscoveryRequest within 100 ms');
    expect((await closed.waitFor((e) => e.error !== undefined, 'the close event')).nodeId).toBeUndefined();
  });

  it('ends a stream that neither ACKs nor NACKs within ackTimeoutMs', async () => {
    const running = await serve({ ackTimeoutMs: 100 });
    const raw = open(running);
    raw.send({ node: { id: 'p' }, typeUrl: ADDRESS_TYPE_URL });
    await raw.next();
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(status.details).toMatch(/response .* was neither ACKed nor NACKed within 100 ms/);
    expect(running.server.syncStatus()).toEqual([]);
  });

  it('drops a proxy that does not read rather than buffer for it', async () => {
    // Two types, each with a response of about 40 KiB, and room for one of them.
    const authorizations = new ResourceCache(securityV1.Authorization);
    const big = (i: number): [string, { version: string; resource: securityV1.Authorization }] => [
      `ns/p${i}`,
      { version: '1', resource: { ...securityV1.Authorization.decode(new Uint8Array()), name: `p${i}`, namespace: 'x'.repeat(1000) } },
    ];
    authorizations.apply({ upserted: Array.from({ length: 40 }, (_, i) => big(i)) });
    const addresses = new ResourceCache(workloadV1.Address);
    addresses.apply({ upserted: Array.from({ length: 40 }, (_, i) => [`w${i}`, { version: '1', resource: workload('x'.repeat(1000) + i) }]) });
    const running = await startServer(pki, [addresses, authorizations], { limits: { maxResponseBytes: 64 * 1024, maxSendBufferBytes: 64 * 1024 } });
    cleanups.push(() => running.close());
    const closed = closedStreams();

    const session = openStalledStream(running.target, pki.issue(ZTUNNEL_IDENTITY), [
      { node: { id: 'stuck' }, typeUrl: ADDRESS_TYPE_URL },
      { typeUrl: AUTHORIZATION_TYPE_URL },
    ]);
    cleanups.push(() => session.destroy());
    const event = await closed.waitFor((e) => e.nodeId === 'stuck', 'the stuck stream to be dropped');
    expect(event.error?.code).toBe('AMBIT_ERR_XDS_SEND_BUFFER_FULL');
    expect(running.server.syncStatus().map((s) => s.proxy.node.id)).not.toContain('stuck');
    await expectStillServing(running);
  });
});
