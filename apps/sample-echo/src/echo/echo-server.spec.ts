import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { withTimeout } from '@ambit/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { EchoReply } from './echo-reply.js';
import { EchoServer, type EchoLimits } from './echo-server.js';

const IDENTITY = { app: 'reviews', version: 'v3', pod: 'reviews-v3', namespace: 'bookinfo' };
const HOST = '127.0.151.1';

const started: EchoServer[] = [];
const others: Server[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
  await Promise.all(others.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function echo(limits: Partial<EchoLimits> = {}, hosts: readonly string[] = [HOST]): Promise<{ server: EchoServer; ports: number[]; addresses: readonly string[] }> {
  const server = new EchoServer(IDENTITY, { log: SILENT_LOGGER, limits });
  started.push(server);
  await server.listen(hosts.map((host) => ({ host, port: 0 })));
  return { server, ports: server.addresses.map((a) => Number(a.slice(a.lastIndexOf(':') + 1))), addresses: server.addresses };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  localPort: number;
}

function get(port: number, path: string, options: { host?: string; method?: string; headers?: Record<string, string | number>; body?: Buffer } = {}): Promise<Answer> {
  return withTimeout(
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: options.host ?? HOST, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), localPort: req.socket!.localPort! }));
      });
      req.once('error', reject);
      req.end(options.body);
    }),
    `an answer on ${HOST}:${port}${path}`,
  );
}

/** Sends raw bytes and resolves with everything read until the server closes. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: HOST, port }, () => socket.write(bytes));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.once('error', reject);
      socket.once('close', () => resolve(Buffer.concat(chunks).toString()));
    }),
    `the server to close the connection on ${HOST}:${port}`,
  );
}

describe('EchoServer over real sockets', () => {
  it('answers with who it is, the request and its caller, on every address it listens on', async () => {
    const { addresses } = await echo({}, [HOST, '127.0.151.2']);
    expect(addresses).toEqual([expect.stringMatching(/^127\.0\.151\.1:\d+$/), expect.stringMatching(/^127\.0\.151\.2:\d+$/)]);
    for (const address of addresses) {
      const [host, port] = [address.split(':')[0]!, Number(address.split(':')[1])];
      const answer = await get(port, '/reviews/0?x=1', { host, headers: { 'x-demo': 'yes' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      const reply = JSON.parse(answer.body) as EchoReply;
      expect(reply).toMatchObject({ ...IDENTITY, method: 'GET', path: '/reviews/0?x=1', host: address, caller: { address: `127.0.0.1:${answer.localPort}`, identity: null } });
      expect(reply.headers['x-demo']).toBe('yes');
    }
  });

  it('reports the SPIFFE ID a proxy in front forwarded, and answers text/plain when asked', async () => {
    const { ports } = await echo();
    const principal = 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage';
    const answer = await get(ports[0]!, '/', { headers: { 'x-forwarded-client-cert': `By=spiffe://cluster.local/ns/bookinfo/sa/waypoint;URI=${principal}`, accept: 'text/plain' } });
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.body).toContain('pod=reviews-v3\n');
    expect(answer.body).toContain(`caller.identity=${principal}\n`);
  });

  it('answers /healthz with 200', async () => {
    const { ports } = await echo();
    expect(await get(ports[0]!, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('reads a body of up to 1 MiB, and answers 413 and closes for a larger declared one', async () => {
    const { ports } = await echo();
    const mib = 1024 * 1024;
    expect((await get(ports[0]!, '/upload', { method: 'POST', body: Buffer.alloc(mib) })).status).toBe(200);
    const tooLarge = await raw(ports[0]!, `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${mib + 1}\r\n\r\n`);
    expect(tooLarge).toMatch(/^HTTP\/1\.1 413 /);
    expect(tooLarge.toLowerCase()).toContain('connection: close');
    expect(tooLarge).toContain(`request body larger than ${mib} bytes`);
  });

  it('answers 413 to a chunked body once it grows past the limit, without reading the rest', async () => {
    const { ports } = await echo({ maxBodyBytes: 10 });
    // The terminating chunk is never sent: the answer comes from the size alone.
    const answer = await raw(ports[0]!, `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('closes a connection whose headers do not arrive in time', async () => {
    const { ports } = await echo({ headersTimeoutMs: 100, requestTimeoutMs: 1000, timeoutCheckMs: 20 });
    const answer = await raw(ports[0]!, 'GET / HTTP/1.1\r\nHost: x\r\n');
    expect(answer).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('fails to start when one address is taken, and leaves none of the others bound', async () => {
    const taken = createServer();
    others.push(taken);
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.151.3', port: 0 }, resolve));
    const port = (taken.address() as { port: number }).port;
    const server = new EchoServer(IDENTITY, { log: SILENT_LOGGER });
    const free = { host: '127.0.151.4', port };
    await expect(server.listen([free, { host: '127.0.151.3', port }])).rejects.toThrow(/EADDRINUSE/);
    expect(server.addresses).toEqual([]);
    // The first address was released again.
    const probe = createServer();
    others.push(probe);
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(free, resolve));
  });

  it('close() cuts a request that does not finish within the drain time', async () => {
    const { server, ports } = await echo({ drainMs: 50 });
    const socket = connect({ host: HOST, port: ports[0]! });
    const received: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.on('data', (c: Buffer) => received.push(c)).once('close', () => resolve()));
    // "100 Continue" proves the server holds the request; its body never comes.
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n');
    await withTimeout(
      new Promise<void>((resolve) => socket.once('data', () => resolve())),
      '100 Continue',
    );
    await withTimeout(server.close(), 'close() to cut the hung request');
    await withTimeout(closed, 'the connection to be closed');
    expect(Buffer.concat(received).toString()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
  });
});
