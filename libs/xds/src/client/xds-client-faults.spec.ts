import { Server, type ServerDuplexStream } from '@grpc/grpc-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { XDS_CHANNELS, type ClientDisconnectedEvent, type ClientNackEvent } from '../channels.js';
import { GrpcStatus } from '../errors.js';
import { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../generated/envoy.service.discovery.v3.js';
import { adsServiceDefinition } from '../grpc/ads-service.js';
import { workloadV1 } from '../index.js';
import type { MessageInit } from '../proto/codec.js';
import { XdsClientCredentials } from '../tls/client-credentials.js';
import { grpcServerCredentials, XdsServerCredentials } from '../tls/server-credentials.js';
import { ADDRESS_TYPE_URL } from '../type-urls.js';
import { ChannelRecorder } from '../__support__/events.js';
import { createTestPki, SERVER_IDENTITY, type TestPki } from '../__support__/pki.js';
import { eventually } from '../__support__/wait.js';
import { watchResources } from './resource-watch.js';
import { XdsClient } from './xds-client.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An ADS endpoint that misbehaves as told: `respond` gets each decoded request and writes what it wants. */
async function faultyServer(respond: (request: DeltaDiscoveryRequest, reply: (bytes: Uint8Array) => void) => void): Promise<string> {
  const server = new Server();
  server.addService(adsServiceDefinition, {
    DeltaAggregatedResources: (call: ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (bytes: Buffer) => respond(DeltaDiscoveryRequest.decode(bytes), (reply) => call.write(Buffer.from(reply))));
      call.on('error', () => undefined);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpcServerCredentials(new XdsServerCredentials(pki.issue(SERVER_IDENTITY))), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  cleanups.push(() => server.forceShutdown());
  return `127.0.0.1:${port}`;
}

/** A long `responseTimeoutMs` by default: only the test of that timeout needs it short; the others give a loaded machine time. */
function start(target: string, responseTimeoutMs = 10_000): XdsClient {
  const xds = new XdsClient({
    target,
    credentials: new XdsClientCredentials(pki.client()),
    node: { id: 'ztunnel-faults' },
    resources: [watchResources(workloadV1.Address, () => undefined)],
    backoff: { initialMs: 20, maxMs: 100 },
    responseTimeoutMs,
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

const response = (fields: MessageInit<DeltaDiscoveryResponse>): Uint8Array => DeltaDiscoveryResponse.encode({ typeUrl: ADDRESS_TYPE_URL, nonce: 'n1', ...fields });

describe('XdsClient against a misbehaving server', () => {
  it('abandons a stream that does not answer its first request within responseTimeoutMs, and retries', async () => {
    const requests: DeltaDiscoveryRequest[] = [];
    const target = await faultyServer((request) => requests.push(request));
    const disconnects = record<ClientDisconnectedEvent>(XDS_CHANNELS.clientDisconnected);
    start(target, 100);
    const event = await disconnects.waitFor(() => true, 'the abandoned stream');
    expect(event.error.grpcCode).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(event.error.message).toContain(`no response for ${ADDRESS_TYPE_URL} within 100 ms`);
    expect(requests[0]).toMatchObject({ node: { id: 'ztunnel-faults', userAgentName: 'ambit' }, typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['*'] });
  });

  it('abandons a stream that sends bytes that are not a response', async () => {
    const target = await faultyServer((_request, reply) => reply(Uint8Array.of(0x0a, 0xff)));
    const disconnects = record<ClientDisconnectedEvent>(XDS_CHANNELS.clientDisconnected);
    start(target);
    const event = await disconnects.waitFor(() => true, 'the abandoned stream');
    expect(event.error.grpcCode).toBe(GrpcStatus.INTERNAL);
  });

  it.each([
    ['a type it did not subscribe to', response({ typeUrl: 'type.googleapis.com/other.Type' }), 'was not subscribed to'],
    ['a resource of another type', response({ resources: [{ name: 'a', version: '1', resource: { type_url: 'type.googleapis.com/other.Type', value: new Uint8Array() } }] }), 'is a type.googleapis.com/other.Type'],
    ['a resource without a body', response({ resources: [{ name: 'a', version: '1' }] }), 'has no body'],
    ['a resource without a name', response({ resources: [{ version: '1', resource: { type_url: ADDRESS_TYPE_URL, value: new Uint8Array() } }] }), 'has no name'],
    ['a resource that does not decode', response({ resources: [{ name: 'a', version: '1', resource: { type_url: ADDRESS_TYPE_URL, value: Uint8Array.of(0x0a, 0xff) } }] }), 'resource "a"'],
  ])('NACKs %s', async (_what, bytes, message) => {
    const nacks: DeltaDiscoveryRequest[] = [];
    const target = await faultyServer((request, reply) => {
      if (request.node !== null) reply(bytes);
      else if (request.errorDetail !== null) nacks.push(request);
    });
    const clientNacks = record<ClientNackEvent>(XDS_CHANNELS.clientNack);
    const xds = start(target);
    const event = await clientNacks.waitFor(() => true, 'the NACK');
    expect(event.message).toContain(message);
    expect(xds.synced).toBe(false);
    const nack = await eventually(() => {
      expect(nacks).toHaveLength(1);
      return nacks[0]!;
    }, 'the NACK to reach the server');
    expect(nack).toMatchObject({ typeUrl: DeltaDiscoveryResponse.decode(bytes).typeUrl, responseNonce: 'n1', errorDetail: { code: GrpcStatus.INVALID_ARGUMENT } });
    expect(nack.errorDetail!.message).toContain(message);
  });
});
