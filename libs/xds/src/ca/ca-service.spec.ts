import { Client, Metadata, type ServiceError } from '@grpc/grpc-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResourceCache } from '../cache/resource-cache.js';
import { GrpcStatus, XdsOptionError, XdsStreamError } from '../errors.js';
import { CertificateAuthority, CreateCertificateRequest } from '../generated/ambit.ca.v1.js';
import { workloadV1 } from '../index.js';
import { grpcChannelCredentials, XdsClientCredentials, type ClientTlsMaterial } from '../tls/client-credentials.js';
import { startServer, type RunningServer } from '../__support__/fixtures.js';
import { createTestPki, SERVER_IDENTITY, ZTUNNEL_IDENTITY, type TestPki } from '../__support__/pki.js';
import { withTimeout } from '../__support__/wait.js';
import { CaClient } from './ca-client.js';
import type { CertificateAuthorityHandler, CertificateCall } from './ca-service.js';
import { CertificateRequestError } from './errors.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CHAIN = ['-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n'];

interface Recording {
  readonly calls: { request: CreateCertificateRequest; call: CertificateCall }[];
  readonly refused: XdsStreamError[];
}

async function serve(createCertificate: CertificateAuthorityHandler['createCertificate'], limits = {}): Promise<RunningServer & Recording> {
  const recording: Recording = { calls: [], refused: [] };
  const running = await startServer(pki, [new ResourceCache(workloadV1.Address)], {
    limits,
    certificateAuthority: {
      createCertificate: (request, call) => {
        recording.calls.push({ request, call });
        return createCertificate(request, call);
      },
      refused: (error) => recording.refused.push(error),
    },
  });
  cleanups.push(() => running.close());
  return Object.assign(running, recording);
}

function client(running: RunningServer, material: ClientTlsMaterial): CaClient {
  const ca = new CaClient({ target: running.target, credentials: new XdsClientCredentials(material) });
  cleanups.push(() => ca.close());
  return ca;
}

const nodeMaterial = (bearerToken = 'node-a-token'): ClientTlsMaterial => ({ trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY], bearerToken });

async function refusal(promise: Promise<unknown>): Promise<CertificateRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertificateRequestError);
  return error as CertificateRequestError;
}

describe('the CA service on the xDS port', () => {
  it('hands the handler the request, the token and the peer, and returns the chain leaf first', async () => {
    const running = await serve(() => Promise.resolve(CHAIN));
    const chain = await client(running, nodeMaterial()).createCertificate({ csrPem: 'CSR', ttlSeconds: 3600, metadata: { ImpersonatedIdentity: 'spiffe://x/ns/a/sa/b' } });
    expect(chain).toEqual(CHAIN);
    const [{ request, call }] = running.calls as [Recording['calls'][number]];
    expect(request).toEqual({ csr: 'CSR', validityDuration: 3600, metadata: { ImpersonatedIdentity: 'spiffe://x/ns/a/sa/b' } });
    expect(call.bearerToken).toBe('node-a-token');
    expect(call.peer).toBeUndefined();
    expect(call.signal.aborted).toBe(false);

    // A proxy with its own certificate: the peer is its verified identity.
    await client(running, pki.client(ZTUNNEL_IDENTITY)).createCertificate({ csrPem: 'CSR' });
    expect(running.calls[1]!.call.peer?.uris).toEqual([ZTUNNEL_IDENTITY]);
    expect(running.calls[1]!.call.bearerToken).toBeUndefined();
    expect(running.calls[1]!.request.validityDuration).toBe(0);
  });

  it('passes on the status of a handler refusal, and answers INTERNAL for a handler bug', async () => {
    let error: unknown = Object.assign(new Error('no workload of ns/a on node node-b'), { grpcCode: GrpcStatus.PERMISSION_DENIED });
    const running = await serve(() => Promise.reject(error));
    const ca = client(running, nodeMaterial());
    const denied = await refusal(ca.createCertificate({ csrPem: 'CSR' }));
    expect(denied.grpcCode).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(denied.message).toMatch(/no workload of ns\/a on node node-b/);
    error = new TypeError('oops');
    expect((await refusal(ca.createCertificate({ csrPem: 'CSR' }))).grpcCode).toBe(GrpcStatus.INTERNAL);
    expect(running.refused).toEqual([]);
  });

  it('refuses without calling the handler: no certificate nor token, too large, malformed', async () => {
    const running = await serve(() => Promise.resolve(CHAIN), { maxCertificateRequestBytes: 4096 });
    const anonymous = await refusal(client(running, { trustBundle: pki.trustBundle, serverIdentities: [SERVER_IDENTITY] }).createCertificate({ csrPem: 'CSR' }));
    expect(anonymous.grpcCode).toBe(GrpcStatus.UNAUTHENTICATED);
    const large = await refusal(client(running, nodeMaterial()).createCertificate({ csrPem: 'x'.repeat(5000) }));
    expect(large.grpcCode).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(large.message).toMatch(/exceeds the limit of 4096/);

    // Bytes that are no CreateCertificateRequest, sent by hand.
    const raw = new Client(running.target, grpcChannelCredentials(new XdsClientCredentials(nodeMaterial())));
    cleanups.push(() => raw.close());
    const identity = (bytes: Buffer): Buffer => bytes;
    const status = await withTimeout(
      new Promise<ServiceError | null>((resolve) =>
        raw.makeUnaryRequest(CertificateAuthority.CreateCertificate.path, identity, identity, Buffer.from([0x0a, 0xff, 0xff]), new Metadata(), (error) => resolve(error)),
      ),
      'the malformed request to be answered',
    );
    expect(status?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status?.details).toMatch(/invalid CreateCertificateRequest/);

    expect(running.calls).toEqual([]);
    expect(running.refused.map((e) => e.code)).toEqual(['AMBIT_ERR_XDS_UNAUTHENTICATED', 'AMBIT_ERR_XDS_CA_REQUEST_TOO_LARGE', 'AMBIT_ERR_XDS_CA_INVALID_REQUEST']);
    // The server survives all of it.
    expect(await client(running, nodeMaterial()).createCertificate({ csrPem: 'CSR' })).toEqual(CHAIN);
  });

  it('times out a handler that does not answer, aborting its signal, and bounds calls in progress', async () => {
    const running = await serve(() => new Promise(() => undefined), { certificateRequestTimeoutMs: 200, maxPendingCertificateRequests: 1 });
    const ca = client(running, nodeMaterial());
    const first = refusal(ca.createCertificate({ csrPem: 'CSR' }));
    await withTimeout(
      (async () => {
        while (running.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      })(),
      'the first call to reach the handler',
    );
    const busy = await refusal(ca.createCertificate({ csrPem: 'CSR' }));
    expect(busy.grpcCode).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect((await first).grpcCode).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(running.calls[0]!.call.signal.aborted).toBe(true);
    expect(running.refused.map((e) => e.code)).toEqual(['AMBIT_ERR_XDS_CA_BUSY', 'AMBIT_ERR_XDS_CA_TIMEOUT']);
  });

  it('is verified by the client: a server without the expected identity is refused', async () => {
    const running = await serve(() => Promise.resolve(CHAIN));
    const wrong = await refusal(client(running, { ...nodeMaterial(), serverIdentities: ['spiffe://cluster.local/ns/elsewhere/sa/impostor'] }).createCertificate({ csrPem: 'CSR' }));
    expect(wrong.grpcCode).toBe(GrpcStatus.UNAVAILABLE);
    expect(running.calls).toEqual([]);
  });

  it('refuses a response without certificates at the client', async () => {
    const running = await serve(() => Promise.resolve([]));
    const empty = await refusal(client(running, nodeMaterial()).createCertificate({ csrPem: 'CSR' }));
    expect(empty.grpcCode).toBe(GrpcStatus.INTERNAL);
    expect(empty.message).toMatch(/no certificate/);
  });

  it('is UNIMPLEMENTED on a server without a CA, and UNAVAILABLE once the server closes', async () => {
    const bare = await startServer(pki, [new ResourceCache(workloadV1.Address)]);
    cleanups.push(() => bare.close());
    expect((await refusal(client(bare, nodeMaterial()).createCertificate({ csrPem: 'CSR' }))).grpcCode).toBe(GrpcStatus.UNIMPLEMENTED);
    const running = await serve(() => Promise.resolve(CHAIN));
    const ca = client(running, nodeMaterial());
    await ca.createCertificate({ csrPem: 'CSR' });
    await running.close();
    expect((await refusal(ca.createCertificate({ csrPem: 'CSR' }))).grpcCode).toBe(GrpcStatus.UNAVAILABLE);
  });

  it('checks its options and the token before any call, never quoting the token', async () => {
    expect(() => new CaClient({ target: '', credentials: new XdsClientCredentials(nodeMaterial()) })).toThrow(XdsOptionError);
    expect(() => new CaClient({ target: '127.0.0.1:1', credentials: new XdsClientCredentials(nodeMaterial()), timeoutMs: 0 })).toThrow(/timeoutMs = 0 must be a positive integer/);
    let thrown: unknown;
    try {
      new XdsClientCredentials(nodeMaterial('S3CRET with spaces'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(XdsOptionError);
    expect((thrown as Error).message).toMatch(/bearerToken = "\(18 characters\)" must be 1 to 8192 RFC 6750 token characters/);
    expect((thrown as Error).message).not.toContain('S3CRET');
    const ca = new CaClient({ target: '127.0.0.1:1', credentials: new XdsClientCredentials(nodeMaterial()) });
    cleanups.push(() => ca.close());
    await expect(ca.createCertificate({ csrPem: 'CSR', ttlSeconds: -1 })).rejects.toThrow(/ttlSeconds = -1 must be a whole number of seconds/);
  });
});
