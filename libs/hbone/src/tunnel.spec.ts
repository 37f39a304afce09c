import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { CLIENT, SERVER, eventually, readAll, startPool, startServer, tcpEcho, testPki } from './__support__/mesh.js';
import { HboneRefusedError, HboneServerIdentityError } from './errors.js';
import type { HboneInboundRequest } from './server/inbound-request.js';

/**
 * End to end over real sockets and real mutual TLS 1.3: pool → HBONE server → a TCP
 * echo server, as ztunnel(A) → ztunnel(B) → workload B.
 */
const pki = await testPki();
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('tunnels', () => {
  it('echoes a small payload and a multi-megabyte one intact', async () => {
    const echo = await tcpEcho();
    const { address } = await startServer(pki);
    const pool = startPool(pki);
    for (const size of [100, 8 * 1024 * 1024 + 17]) {
      const data = randomBytes(size);
      const stream = await pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: echo, hboneAddress: address });
      stream.end(data);
      const back = await readAll(stream);
      expect(back.length).toBe(size);
      expect(sha256(back)).toBe(sha256(data));
    }
  });

  it('half-closes: the client ends, the echo keeps answering, then ends too', async () => {
    const echo = await tcpEcho();
    const { address } = await startServer(pki);
    const stream = await startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: echo, hboneAddress: address });
    stream.write('before ');
    stream.end('after FIN');
    // The echo server sees FIN only after reading everything, and answers everything.
    expect((await readAll(stream)).toString()).toBe('before after FIN');
  });

  it('half-closes the other way: the server ends first and the client can still send', async () => {
    const { address } = await startServer(pki, {
      handler: (request) => {
        const tunnel = request.accept();
        tunnel.end('bye');
        serverReceived = readAll(tunnel);
      },
    });
    let serverReceived: Promise<Buffer> | undefined;
    const stream = await startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.1.2.3', port: 80 }, hboneAddress: address });
    const fromServer = readAll(stream);
    expect((await fromServer).toString()).toBe('bye');
    stream.end('still sending after the server ended');
    await eventually(() => serverReceived !== undefined);
    expect((await serverReceived!).toString()).toBe('still sending after the server ended');
  });

  it('records the client identity and the HBONE headers', async () => {
    const seen: HboneInboundRequest[] = [];
    const { address } = await startServer(pki, {
      handler: (request) => {
        seen.push(request);
        request.accept().end();
      },
    });
    const stream = await startPool(pki).connect({
      sourceIdentity: CLIENT,
      destinationIdentities: [SERVER],
      destination: { ip: '10.0.0.7', port: 9080 },
      hboneAddress: address,
      headers: { forwarded: 'for=10.0.0.5', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', baggage: 'k8s.namespace.name=bookinfo' },
    });
    await readAll(stream);
    const [request] = seen;
    expect(request?.clientIdentity.toString()).toBe(CLIENT.toString());
    expect(request?.destination).toEqual({ ip: '10.0.0.7', port: 9080 });
    expect(request?.originalClientIp).toBe('10.0.0.5');
    expect(request?.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(request?.baggage).toBe('k8s.namespace.name=bookinfo');
    expect(request?.local.port).toBe(address.port);
  });

  it('gives the client a typed error with the status when the server refuses (403)', async () => {
    const { address } = await startServer(pki, { handler: (request) => request.reject(403) });
    const attempt = startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.0.0.7', port: 80 }, hboneAddress: address });
    await expect(attempt).rejects.toBeInstanceOf(HboneRefusedError);
    await expect(attempt).rejects.toMatchObject({ code: 'AMBIT_ERR_HBONE_REFUSED', status: 403 });
  });

  it('answers 503 when the destination is unreachable, and 504 when the handler never decides', async () => {
    const { address } = await startServer(pki);
    const pool = startPool(pki);
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    await expect(pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '127.0.0.1', port: 1 }, hboneAddress: address })).rejects.toMatchObject({
      status: 503,
    });
    const slow = await startServer(pki, { handler: () => undefined, decisionTimeoutMs: 50 });
    await expect(pool.connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.0.0.1', port: 80 }, hboneAddress: slow.address })).rejects.toMatchObject({
      status: 504,
    });
    expect(slow.errors.map((error) => error.code)).toContain('AMBIT_ERR_HBONE_TIMEOUT');
  });

  it('answers 503 and reports the failure when the handler throws', async () => {
    const { address, errors } = await startServer(pki, {
      handler: () => {
        throw new Error('policy store unavailable');
      },
    });
    await expect(startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [SERVER], destination: { ip: '10.0.0.1', port: 80 }, hboneAddress: address })).rejects.toMatchObject({
      status: 503,
    });
    expect(errors.map((error) => error.code)).toEqual(['AMBIT_ERR_HBONE_HANDLER']);
  });

  it('refuses a server whose identity the destination may not have, before any CONNECT', async () => {
    const handled: unknown[] = [];
    const { address } = await startServer(pki, { handler: (request) => void handled.push(request) });
    const expected = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/ratings');
    const attempt = startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [expected], destination: { ip: '10.0.0.7', port: 80 }, hboneAddress: address });
    await expect(attempt).rejects.toBeInstanceOf(HboneServerIdentityError);
    await expect(attempt).rejects.toMatchObject({ code: 'AMBIT_ERR_HBONE_SERVER_IDENTITY', cause: { code: 'AMBIT_ERR_CRYPTO_IDENTITY_MISMATCH' } });
    expect(handled).toEqual([]);
  });

  it('accepts a server holding any one of the allowed identities', async () => {
    const echo = await tcpEcho();
    const { address } = await startServer(pki);
    const other = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/waypoint');
    const stream = await startPool(pki).connect({ sourceIdentity: CLIENT, destinationIdentities: [other, SERVER], destination: echo, hboneAddress: address });
    stream.end('ok');
    expect((await readAll(stream)).toString()).toBe('ok');
  });
});

describe('client certificates the server refuses', () => {
  it.each([
    ['a rogue CA of the same trust domain', 'cluster.local'],
    ['another trust domain', 'other.example'],
  ])('refuses a client certificate from %s', async (_what, trustDomain) => {
    const rogue = await testPki(trustDomain);
    const handled: unknown[] = [];
    const { address, errors } = await startServer(pki, { handler: (request) => void handled.push(request) });
    const identity = SpiffeId.of({ trustDomain, namespace: 'bookinfo', serviceAccount: 'productpage' });
    const rogueCertificate = rogue.issue(identity);
    // The rogue client trusts the real roots, so only the server can refuse it.
    const pool = startPool(pki, { clientCertificate: () => rogueCertificate, connectTimeoutMs: 2_000, responseTimeoutMs: 2_000 });
    const attempt = pool.connect({ sourceIdentity: identity, destinationIdentities: [SERVER], destination: { ip: '10.0.0.7', port: 80 }, hboneAddress: address });
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/^AMBIT_ERR_HBONE_(TLS|STREAM)$/) });
    await eventually(() => errors.length > 0);
    expect(errors[0]?.code).toMatch(/^AMBIT_ERR_HBONE_(TLS|CLIENT_IDENTITY)$/);
    expect(handled).toEqual([]);
  });

  it('refuses a client without a certificate in the handshake', async () => {
    const { address, errors } = await startServer(pki);
    const { connect } = await import('node:tls');
    const socket = connect({ host: address.ip, port: address.port, ca: pki.trust.pem, ALPNProtocols: ['h2'], minVersion: 'TLSv1.3', checkServerIdentity: () => undefined });
    // The server's "certificate required" alert arrives as an error, then the close.
    await new Promise((resolve) => socket.on('error', () => undefined).on('close', resolve));
    await eventually(() => errors.length > 0);
    expect(errors[0]?.code).toBe('AMBIT_ERR_HBONE_TLS');
  });
});
