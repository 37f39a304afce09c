import { X509Certificate } from 'node:crypto';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import { GrpcStatus, XdsOptionError, XdsTlsError } from '../errors.js';
import { workloadV1 } from '../index.js';
import { ADDRESS_TYPE_URL } from '../type-urls.js';
import { startServer, workload, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, SERVER_IDENTITY, ZTUNNEL_IDENTITY, type TestPki } from '../__support__/pki.js';
import { RawAdsStream } from '../__support__/raw-ads.js';
import { withTimeout } from '../__support__/wait.js';
import { XdsClientCredentials, type ClientTlsMaterial } from './client-credentials.js';
import type { TlsMaterial } from './material.js';
import { XdsServerCredentials } from './server-credentials.js';

let pki: TestPki;
let foreign: TestPki;
beforeAll(async () => {
  [pki, foreign] = await Promise.all([createTestPki(), createTestPki()]);
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(): Promise<RunningServer> {
  const cache = new ResourceCache(workloadV1.Address);
  cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }]] });
  const running = await startServer(pki, [cache]);
  cleanups.push(() => running.close());
  return running;
}

function open(running: RunningServer, material: ClientTlsMaterial): RawAdsStream {
  const raw = new RawAdsStream(running.target, material);
  cleanups.push(() => raw.close());
  return raw;
}

/**
 * A raw TLS connection to the server, to look at what gRPC hides. Resolves with the
 * socket once the server speaks HTTP/2 over it (its SETTINGS frame), or with the error
 * that ended the connection before that.
 */
async function handshake(running: RunningServer, options: ConnectionOptions): Promise<{ socket: TLSSocket | undefined; error: Error | undefined }> {
  const [host, port] = running.target.split(':');
  return withTimeout(
    new Promise((resolve) => {
      const socket = connect({ host, port: Number(port), ALPNProtocols: ['h2'], checkServerIdentity: () => undefined, ...options });
      cleanups.push(() => socket.destroy());
      socket.once('secureConnect', () => {
        // In TLS 1.3 the server judges the client certificate after the client's handshake
        // is done; a refusal arrives as an alert on the first read.
        socket.once('data', () => resolve({ socket, error: undefined }));
        socket.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
      });
      socket.once('error', (error) => resolve({ socket: undefined, error }));
      socket.once('close', () => resolve({ socket: undefined, error: new Error('the server closed the connection') }));
    }),
    'the TLS handshake',
  );
}

function tlsOptions(material: TlsMaterial): ConnectionOptions {
  return { ca: [...material.trustBundle], cert: [...material.certChain].join('\n'), key: material.privateKey };
}

describe('xDS over mutual TLS', () => {
  it('exposes the verified client identity of each stream', async () => {
    const running = await serve();
    const raw = open(running, pki.client(ZTUNNEL_IDENTITY));
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    await raw.next();
    const [status] = running.server.syncStatus();
    expect(status!.proxy.peer!.uris).toEqual([ZTUNNEL_IDENTITY]);
    expect(status!.proxy.peer!.certificate.checkIssued(new X509Certificate(pki.trustBundle[0]!))).toBe(true);
  });

  it('does not count a client certificate from another CA: such a stream is unauthenticated', async () => {
    const running = await serve();
    const stranger = { ...foreign.issue(ZTUNNEL_IDENTITY), trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY] };
    const raw = open(running, stranger);
    raw.send({ node: { id: 'stranger' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(status.details).toMatch(/no verified client certificate and no bearer token/);
    expect(running.server.syncStatus()).toEqual([]);
  });

  it('lets a client without a certificate complete the handshake, and refuses its stream without a token', async () => {
    const running = await serve();
    // A new ztunnel has only the roots and its token: TLS must let it reach the CA.
    const handshaken = await handshake(running, { ca: [...pki.trustBundle] });
    expect(handshaken.socket?.getProtocol()).toBe('TLSv1.3');
    const raw = open(running, { trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY] });
    raw.send({ node: { id: 'anonymous' }, typeUrl: ADDRESS_TYPE_URL });
    expect((await raw.status()).code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(running.server.syncStatus()).toEqual([]);
  });

  it('refuses a bearer token when nothing verifies tokens (no admit)', async () => {
    const running = await serve();
    const raw = open(running, { trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY], bearerToken: 'node-a-token' });
    raw.send({ node: { id: 'ztunnel-a' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(status.details).toMatch(/verifies no bearer tokens/);
    expect(status.details).not.toMatch(/node-a-token/);
  });

  it('speaks TLS 1.3 only', async () => {
    const running = await serve();
    const ok = await handshake(running, tlsOptions(pki.issue(ZTUNNEL_IDENTITY)));
    expect(ok.socket?.getProtocol()).toBe('TLSv1.3');
    expect(ok.socket?.alpnProtocol).toBe('h2');
    const old = await handshake(running, { ...tlsOptions(pki.issue(ZTUNNEL_IDENTITY)), maxVersion: 'TLSv1.2' });
    expect(old.error?.message).toMatch(/protocol version|unsupported protocol/i);
  });

  it('refuses a server that does not present the expected identity', async () => {
    const running = await serve();
    const raw = open(running, { ...pki.issue(ZTUNNEL_IDENTITY), serverIdentities: ['spiffe://cluster.local/ns/elsewhere/sa/impostor'] });
    raw.send({ node: { id: 'ztunnel-1' }, typeUrl: ADDRESS_TYPE_URL });
    const status = await raw.status();
    expect(status.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(running.server.syncStatus()).toEqual([]);
  });

  it('rotates the server certificate for new connections while open streams go on', async () => {
    const cache = new ResourceCache(workloadV1.Address);
    const running = await startServer(pki, [cache]);
    cleanups.push(() => running.close());
    const before = open(running, pki.client());
    before.send({ node: { id: 'before' }, typeUrl: ADDRESS_TYPE_URL });
    before.ack(await before.next());

    const rotatedIdentity = 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane-2';
    running.credentials.update(pki.issue(rotatedIdentity));
    const after = open(running, { ...pki.issue(ZTUNNEL_IDENTITY), serverIdentities: [rotatedIdentity] });
    after.send({ node: { id: 'after' }, typeUrl: ADDRESS_TYPE_URL });
    after.ack(await after.next());
    const stale = open(running, pki.client());
    stale.send({ node: { id: 'stale' }, typeUrl: ADDRESS_TYPE_URL });
    expect((await stale.status()).code).toBe(GrpcStatus.UNAVAILABLE);

    cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }]] });
    expect((await before.next('a push on the stream opened before the rotation')).resources.map((r) => r.name)).toEqual(['a']);
  });

  it('says what is wrong with unusable material', () => {
    const good = pki.issue(ZTUNNEL_IDENTITY);
    expect(() => new XdsServerCredentials({ ...good, privateKey: 'not a key' })).toThrow(XdsTlsError);
    expect(() => new XdsServerCredentials({ ...good, privateKey: pki.issue(ZTUNNEL_IDENTITY).privateKey })).toThrow(/key values mismatch|xDS server TLS material/);
    expect(() => new XdsClientCredentials({ ...good, certChain: 'garbage' })).toThrow(XdsTlsError);
    expect(() => new XdsClientCredentials({ ...good, serverIdentities: [] })).toThrow(XdsOptionError);
  });
});
