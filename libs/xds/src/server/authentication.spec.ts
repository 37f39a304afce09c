import { Client, Metadata, type StatusObject } from '@grpc/grpc-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import { GrpcStatus, UnauthenticatedCallError } from '../errors.js';
import { DELTA_ADS_PATH } from '../grpc/ads-service.js';
import { workloadV1 } from '../index.js';
import { grpcChannelCredentials, XdsClientCredentials } from '../tls/client-credentials.js';
import { ADDRESS_TYPE_URL } from '../type-urls.js';
import { startServer, workload, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, SERVER_IDENTITY, type TestPki } from '../__support__/pki.js';
import { RawAdsStream } from '../__support__/raw-ads.js';
import { withTimeout } from '../__support__/wait.js';
import type { AdmitProxy, CallAuthentication } from './proxy-info.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(admit: AdmitProxy, limits = {}): Promise<RunningServer> {
  const cache = new ResourceCache(workloadV1.Address);
  cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }]] });
  const running = await startServer(pki, [cache], { admit, limits });
  cleanups.push(() => running.close());
  return running;
}

/** A client with no certificate, only the roots and (maybe) a token: a brand-new ztunnel. */
function tokenClient(running: RunningServer, bearerToken?: string): RawAdsStream {
  const raw = new RawAdsStream(running.target, { trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY], ...(bearerToken === undefined ? {} : { bearerToken }) });
  cleanups.push(() => raw.close());
  return raw;
}

describe('XdsServer authentication', () => {
  it('hands the bearer token to an asynchronous admit, and serves the stream once it admits', async () => {
    let admitNow: () => void = () => undefined;
    let called: (authentication: CallAuthentication) => void = () => undefined;
    const admitting = new Promise<CallAuthentication>((resolve) => (called = resolve));
    const running = await serve((_proxy, authentication) => {
      called(authentication);
      return new Promise((resolve) => (admitNow = () => resolve(undefined)));
    });
    const raw = tokenClient(running, 'node-a.token');
    raw.send({ node: { id: 'ztunnel-a' }, typeUrl: ADDRESS_TYPE_URL });
    // Sent while admission is pending: handled after it, in order.
    raw.send({ typeUrl: ADDRESS_TYPE_URL, resourceNamesSubscribe: ['a'] });
    expect((await withTimeout(admitting, 'admit to be called')).bearerToken).toBe('node-a.token');
    expect(running.server.syncStatus()).toEqual([]);
    admitNow();
    const response = raw.ack(await raw.next());
    expect(response.resources.map((r) => r.name)).toEqual(['a']);
    const [status] = running.server.syncStatus();
    expect(status!.proxy.peer).toBeUndefined();
    expect(status!.types[0]!.subscribedNames).toEqual(['a']);
    // The token is never part of what the server keeps or shows.
    expect(JSON.stringify(status)).not.toContain('node-a.token');
  });

  it('refuses with the status admit gives (UNAUTHENTICATED for a token it does not accept)', async () => {
    const running = await serve(async () => {
      throw new UnauthenticatedCallError('unknown token');
    });
    const raw = tokenClient(running, 'forged');
    raw.send({ node: { id: 'ztunnel-a' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(status.details).toMatch(/unknown token/);
    expect(status.details).not.toMatch(/forged/);
  });

  it('refuses a stream with neither certificate nor token before admit runs', async () => {
    let called = false;
    const running = await serve(() => {
      called = true;
      return undefined;
    });
    const raw = tokenClient(running);
    raw.send({ node: { id: 'anonymous' }, typeUrl: ADDRESS_TYPE_URL });
    expect((await raw.status()).code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(called).toBe(false);
  });

  it('refuses authorization metadata that is not "Bearer <token>"', async () => {
    const running = await serve(() => undefined);
    // The credentials only ever send "Bearer <token>": open the stream by hand.
    const client = new Client(running.target, grpcChannelCredentials(new XdsClientCredentials({ trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY] })));
    cleanups.push(() => client.close());
    const metadata = new Metadata();
    metadata.set('authorization', 'Basic dXNlcjpwYXNz');
    const identity = (bytes: Buffer): Buffer => bytes;
    const call = client.makeBidiStreamRequest(DELTA_ADS_PATH, identity, identity, metadata);
    call.on('error', () => undefined);
    const status = await withTimeout(new Promise<StatusObject>((resolve) => call.on('status', resolve)), 'the refusal');
    expect(status.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(status.details).toMatch(/not "Bearer <token>"/);
  });

  it('bounds a hanging admit by the first-request timeout, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const running = await serve(
      (_proxy, authentication) => {
        signal = authentication.signal;
        return new Promise(() => undefined);
      },
      { firstRequestTimeoutMs: 200 },
    );
    const raw = tokenClient(running, 'slow');
    raw.send({ node: { id: 'ztunnel-a' }, typeUrl: ADDRESS_TYPE_URL });
    expect((await raw.status()).code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(signal?.aborted).toBe(true);
  });
});
