import type { ClientHttp2Stream } from 'node:http2';
import { describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { CLIENT, eventually, forwardingHandler, readAll, SERVER, startPool, startServer, tcpEcho, testPki } from '../__support__/mesh.js';
import { HboneConnectError, HboneOptionError, HbonePoolClosedError } from '../errors.js';
import { HboneServer } from '../server/hbone-server.js';
import type { IpPort } from '../wire/authority.js';
import { HbonePool } from './hbone-pool.js';

/** Connection reuse, limits, expiry and failure handling, against a real server. */
const pki = await testPki();

function request(destination: IpPort, hboneAddress: IpPort, destinationIdentities = [SERVER]) {
  return { sourceIdentity: CLIENT, destinationIdentities, destination, hboneAddress };
}

async function echoRoundTrip(stream: ClientHttp2Stream, text: string): Promise<string> {
  stream.write(text);
  const [chunk] = (await new Promise((resolve) => stream.once('data', (data: Buffer) => resolve([data])))) as Buffer[];
  return chunk!.toString();
}

describe('HbonePool', () => {
  it('carries a second tunnel on the same connection: one handshake', async () => {
    const echo = await tcpEcho();
    const { server, address } = await startServer(pki);
    const pool = startPool(pki);
    const first = await pool.connect(request(echo, address));
    const second = await pool.connect(request(echo, address));
    expect(await echoRoundTrip(first, 'one')).toBe('one');
    expect(await echoRoundTrip(second, 'two')).toBe('two');
    expect(pool.stats()).toEqual({ handshakes: 1, openConnections: 1, openStreams: 2 });
    expect(server.stats().handshakes).toBe(1);
  });

  it('keys connections by destination identities and by source identity', async () => {
    const echo = await tcpEcho();
    const { server, address } = await startServer(pki);
    const other = SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/details');
    const certificates = new Map([CLIENT, other].map((identity) => [identity.toString(), pki.issue(identity)]));
    const pool = startPool(pki, { clientCertificate: (identity) => certificates.get(identity.toString())! });
    await pool.connect(request(echo, address));
    await pool.connect(request(echo, address, [SERVER, SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/waypoint')]));
    await pool.connect({ ...request(echo, address), sourceIdentity: other });
    expect(pool.stats().handshakes).toBe(3);
    expect(server.stats().handshakes).toBe(3);
  });

  it('sends from the source IP when asked, keying connections by it, and refuses one that is not an IP', async () => {
    const echo = await tcpEcho();
    const peers: string[] = [];
    const { server, address } = await startServer(pki, {
      handler: (incoming) => {
        peers.push(incoming.peer.ip);
        return forwardingHandler(incoming);
      },
    });
    const pool = startPool(pki);
    await pool.connect({ ...request(echo, address), sourceIp: '127.0.93.1' });
    await pool.connect({ ...request(echo, address), sourceIp: '127.0.93.2' });
    await pool.connect({ ...request(echo, address), sourceIp: '127.0.93.1' });
    expect(peers).toEqual(['127.0.93.1', '127.0.93.2', '127.0.93.1']);
    expect(server.stats().handshakes).toBe(2);
    await expect(pool.connect({ ...request(echo, address), sourceIp: 'pod-a' })).rejects.toBeInstanceOf(HboneOptionError);
  });

  it('opens another connection when one carries its stream limit, and dials once for concurrent callers', async () => {
    const echo = await tcpEcho();
    const { server, address } = await startServer(pki);
    const pool = startPool(pki, { maxStreamsPerConnection: 2 });
    const streams = await Promise.all([1, 2, 3].map(() => pool.connect(request(echo, address))));
    expect(pool.stats()).toEqual({ handshakes: 2, openConnections: 2, openStreams: 3 });
    expect(server.stats()).toMatchObject({ handshakes: 2, openStreams: 3 });
    for (const stream of streams) expect(await echoRoundTrip(stream, 'x')).toBe('x');
  });

  it('closes a connection that has carried no stream for the idle timeout', async () => {
    const echo = await tcpEcho();
    const { server, address } = await startServer(pki);
    const pool = startPool(pki, { idleTimeoutMs: 50 });
    const stream = await pool.connect(request(echo, address));
    stream.end('bye');
    await readAll(stream);
    await eventually(() => pool.stats().openConnections === 0 && server.stats().openConnections === 0);
    // The next tunnel dials again.
    const next = await pool.connect(request(echo, address));
    expect(await echoRoundTrip(next, 'again')).toBe('again');
    expect(pool.stats().handshakes).toBe(2);
  });

  it('fails in-flight streams cleanly when the server goes away, and later tunnels dial again', async () => {
    const echo = await tcpEcho();
    const first = await startServer(pki);
    const pool = startPool(pki);
    const stream = await pool.connect(request(echo, first.address));
    expect(await echoRoundTrip(stream, 'up')).toBe('up');
    const closed = new Promise((resolve) => stream.once('close', resolve));
    // GOAWAY, then after the grace period the open stream is reset with the connection.
    await first.server.close(20);
    await closed;
    // A reset, not an end: a relay turns it into a TCP RST, never a FIN.
    expect(stream.rstCode).not.toBe(0);
    expect(stream.aborted).toBe(true);
    await eventually(() => pool.stats().openConnections === 0);

    // A server back on the same address: the pool dials a new connection for it.
    const again = new HboneServer({ trust: pki.trust, certificateFor: () => pki.issue(SERVER), handler: forwardingHandler });
    await again.listen({ host: first.address.ip, port: first.address.port });
    try {
      const next = await pool.connect(request(echo, first.address));
      expect(await echoRoundTrip(next, 'back')).toBe('back');
      expect(pool.stats().handshakes).toBe(2);
    } finally {
      await again.close(20);
    }
  });

  it('reports an unreachable HBONE address as a connect error', async () => {
    const pool = startPool(pki);
    const attempt = pool.connect(request({ ip: '10.0.0.1', port: 80 }, { ip: '127.0.0.1', port: 1 }));
    await expect(attempt).rejects.toBeInstanceOf(HboneConnectError);
    expect(pool.stats().openConnections).toBe(0);
  });

  it('keeps a long-lived tunnel across certificate and root rotation', async () => {
    const echo = await tcpEcho();
    let serverCertificate = pki.issue(SERVER);
    let clientCertificate = pki.issue(CLIENT);
    const served: unknown[] = [];
    const { server, address } = await startServer(pki, {
      certificateFor: () => {
        served.push(serverCertificate);
        return serverCertificate;
      },
    });
    const pool = startPool(pki, { clientCertificate: () => clientCertificate });
    const longLived = await pool.connect(request(echo, address));
    expect(await echoRoundTrip(longLived, 'before')).toBe('before');

    serverCertificate = pki.issue(SERVER);
    clientCertificate = pki.issue(CLIENT);
    pki.trust.update(pki.ca.trustBundle());
    // A new key forces a new connection, made with the new certificates.
    const fresh = await pool.connect(request(echo, address, [SERVER, SpiffeId.parse('spiffe://cluster.local/ns/bookinfo/sa/waypoint')]));
    expect(await echoRoundTrip(fresh, 'new')).toBe('new');
    expect(served).toHaveLength(2);
    expect(served[1]).not.toBe(served[0]);
    expect(server.stats().handshakes).toBe(2);

    expect(await echoRoundTrip(longLived, 'after')).toBe('after');
    longLived.end();
    await readAll(longLived);
  });

  it('refuses bad requests before dialling, naming the field', async () => {
    const pool = startPool(pki);
    const hbone = { ip: '127.0.0.1', port: 15008 };
    await expect(pool.connect({ ...request({ ip: '10.0.0.1', port: 80 }, hbone), destinationIdentities: [] })).rejects.toThrow(/destinationIdentities/);
    await expect(pool.connect(request({ ip: 'reviews', port: 80 }, hbone))).rejects.toThrow(/destination/);
    await expect(pool.connect(request({ ip: '10.0.0.1', port: 70000 }, hbone))).rejects.toBeInstanceOf(HboneOptionError);
    await expect(pool.connect(request({ ip: '10.0.0.1', port: 80 }, { ip: '127.0.0.1', port: 0 }))).rejects.toThrow(/hboneAddress/);
    await expect(pool.connect({ ...request({ ip: '10.0.0.1', port: 80 }, hbone), headers: { baggage: 'a=b\r\nx-injected: 1' } })).rejects.toThrow(/headers\.baggage/);
    expect(pool.stats().handshakes).toBe(0);
  });

  it('gives up a tunnel whose caller aborts, and closes one that opens too late', async () => {
    const echo = await tcpEcho();
    const { server, address } = await startServer(pki);
    const pool = startPool(pki);
    const early = new AbortController();
    early.abort(new Error('gone before'));
    await expect(pool.connect(request(echo, address), early.signal)).rejects.toThrow('gone before');
    const late = new AbortController();
    const opening = pool.connect(request(echo, address), late.signal);
    late.abort(new Error('gone meanwhile'));
    await expect(opening).rejects.toThrow('gone meanwhile');
    await eventually(() => server.stats().openStreams === 0);
  });

  it('refuses new tunnels once closed', async () => {
    const pool = new HbonePool({ trust: pki.trust, clientCertificate: () => pki.issue(CLIENT) });
    await pool.close();
    await expect(pool.connect(request({ ip: '10.0.0.1', port: 80 }, { ip: '127.0.0.1', port: 15008 }))).rejects.toBeInstanceOf(HbonePoolClosedError);
  });

  it('reports a failing certificate supplier as a certificate error', async () => {
    const { address } = await startServer(pki);
    const pool = startPool(pki, {
      clientCertificate: () => {
        throw new Error('CA unreachable');
      },
    });
    await expect(pool.connect(request({ ip: '10.0.0.1', port: 80 }, address))).rejects.toMatchObject({ code: 'AMBIT_ERR_HBONE_CERTIFICATE' });
  });
});
