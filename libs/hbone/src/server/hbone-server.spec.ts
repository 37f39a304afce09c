import { describe, expect, it } from 'vitest';
import { rawSession, SERVER, startServer, statusOf, testPki } from '../__support__/mesh.js';
import { HboneOptionError } from '../errors.js';
import { HboneServer } from './hbone-server.js';

/** What the server answers to requests the pool never sends, over real mutual TLS. */
const pki = await testPki();

describe('HboneServer refuses what is not an HBONE CONNECT', () => {
  it.each([
    ['GET', { ':method': 'GET', ':path': '/' }, 405],
    ['POST', { ':method': 'POST', ':path': '/upload' }, 405],
    ['a host name authority', { ':method': 'CONNECT', ':authority': 'reviews.bookinfo.svc:9080' }, 400],
    ['an authority without a port', { ':method': 'CONNECT', ':authority': '10.0.0.1' }, 400],
    ['port 0', { ':method': 'CONNECT', ':authority': '10.0.0.1:0' }, 400],
    ['an unbracketed IPv6 authority', { ':method': 'CONNECT', ':authority': '::1:80' }, 400],
  ])('answers %s with the right status and never calls the handler', async (_what, headers, status) => {
    const handled: unknown[] = [];
    const { address } = await startServer(pki, { handler: (request) => void handled.push(request) });
    const session = await rawSession(pki, address);
    expect(await statusOf(session, headers)).toEqual({ status });
    expect(handled).toEqual([]);
  });

  it('answers 431 to a header list over the limit, and the connection goes on serving', async () => {
    const handled: unknown[] = [];
    const { address } = await startServer(pki, {
      maxHeaderListBytes: 1024,
      handler: (request) => {
        handled.push(request);
        request.reject(403);
      },
    });
    const session = await rawSession(pki, address);
    const oversized = await statusOf(session, { ':method': 'CONNECT', ':authority': '10.0.0.1:80', baggage: 'x'.repeat(2000) });
    // Before the client acknowledges SETTINGS the server measures and answers 431;
    // after, nghttp2 itself resets the stream. Either way nothing reaches the handler.
    expect(oversized.status === 431 || oversized.rstCode !== undefined).toBe(true);
    expect(await statusOf(session, { ':method': 'CONNECT', ':authority': '10.0.0.1:80' })).toEqual({ status: 403 });
    expect(handled).toHaveLength(1);
  });

  it('closes the connection when no certificate is served at the destination address', async () => {
    const { address, errors } = await startServer(pki, { certificateFor: () => undefined });
    await expect(rawSession(pki, address)).rejects.toThrow();
    expect(errors.map((error) => error.code)).toContain('AMBIT_ERR_HBONE_CERTIFICATE');
  });

  it('picks the certificate by the address the connection arrived at', async () => {
    const asked: string[] = [];
    const certificate = pki.issue(SERVER);
    const { address } = await startServer(pki, {
      certificateFor: (local) => {
        asked.push(`${local.ip}:${local.port}`);
        return certificate;
      },
      handler: (request) => request.reject(403),
    });
    const session = await rawSession(pki, address);
    expect(await statusOf(session, { ':method': 'CONNECT', ':authority': '10.0.0.1:80' })).toEqual({ status: 403 });
    expect(asked).toEqual([`127.0.0.1:${address.port}`]);
  });

  it('refuses options that cannot work, naming the option', () => {
    const base = { trust: pki.trust, certificateFor: () => undefined, handler: () => undefined };
    expect(() => new HboneServer({ ...base, maxConcurrentStreams: 0 })).toThrow(HboneOptionError);
    expect(() => new HboneServer({ ...base, tuning: { streamWindowBytes: 65535, connectionWindowBytes: 65535, maxFrameBytes: 1000 } })).toThrow(/tuning/);
    expect(() => new HboneServer({ ...base, idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
  });

  it('refuses reject() with a status that is not an error, and the first real answer stands', async () => {
    const { address } = await startServer(pki, {
      handler: (request) => {
        expect(() => request.reject(200)).toThrow(RangeError);
        request.reject(401);
      },
    });
    const session = await rawSession(pki, address);
    expect(await statusOf(session, { ':method': 'CONNECT', ':authority': '10.0.0.1:80' })).toEqual({ status: 401 });
  });
});
