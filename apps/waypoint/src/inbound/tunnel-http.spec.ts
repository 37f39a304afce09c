import { connect as http2Connect } from 'node:http2';
import { createServer, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { SpiffeId } from '@ambit/crypto';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { withTimeout } from '@ambit/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { ContextEngine } from '../../test/support/context-engine.js';
import { DEFAULT_MAX_HEADER_BYTES } from '@ambit/l7';
import { TunnelHttp } from './tunnel-http.js';

const CLIENT = 'spiffe://cluster.local/ns/web/sa/curl';
const TUNNEL = { routeTable: 'waypoint/demo/wp/reviews:9080', peer: SpiffeId.parse(CLIENT), destination: { ip: '10.96.0.5', port: 9080, service: 'demo/reviews.demo.svc.cluster.local' }, sourceIp: '127.0.10.9' };

/** A tunnel stand-in: what the client sends is pushed in, what the server writes is collected. */
function tunnel(): { stream: Duplex; written: () => string; send: (text: string | Buffer) => void; closed: Promise<void> } {
  let out = '';
  const stream = new Duplex({
    // Data arrives by push(); nothing to fetch on demand.
    read: () => undefined,
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString('latin1');
      callback();
    },
  });
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return { stream, written: () => out, send: (text) => stream.push(text), closed };
}

const servers: TunnelHttp[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function server(options: { sniffTimeoutMs?: number } = {}): TunnelHttp {
  const http = new TunnelHttp({ engine: new ContextEngine(), log: SILENT_LOGGER, ...options });
  servers.push(http);
  return http;
}

async function until(read: () => string, pattern: RegExp): Promise<string> {
  return withTimeout(
    (async () => {
      while (!pattern.test(read())) await new Promise((resolve) => setTimeout(resolve, 5));
      return read();
    })(),
    `output matching ${pattern}`,
  );
}

describe('TunnelHttp', () => {
  it('serves HTTP/1.1 on a tunnel, every request with the tunnel\'s route table and source', async () => {
    const t = tunnel();
    server().serve(t.stream, TUNNEL);
    t.send('GET /a HTTP/1.1\r\nhost: reviews\r\n\r\nPOST /b HTTP/1.1\r\nhost: reviews\r\ncontent-type: application/grpc\r\ncontent-length: 0\r\n\r\n');
    const out = await until(t.written, /"url":"\/b"[\s\S]*\}$/);
    expect(out.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(out).toContain('"context":{"routeTable":"waypoint/demo/wp/reviews:9080","source":{"identity":"spiffe://cluster.local/ns/web/sa/curl","namespace":"web","ip":"127.0.10.9"},"scheme":"http","protocol":"http","peer":"spiffe://cluster.local/ns/web/sa/curl","destination":{"ip":"10.96.0.5","port":9080,"service":"demo/reviews.demo.svc.cluster.local"}}');
    expect(out).toContain('"protocol":"grpc"');
  });

  it('answers oversized headers with 431 and a smuggling attempt with 400, never reaching the engine', async () => {
    const big = tunnel();
    server().serve(big.stream, TUNNEL);
    big.send(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(DEFAULT_MAX_HEADER_BYTES + 1)}\r\n\r\n`);
    expect(await until(big.written, /HTTP\/1\.1 431/)).not.toContain('"context"');
    const smuggled = tunnel();
    server().serve(smuggled.stream, TUNNEL);
    smuggled.send('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n');
    expect(await until(smuggled.written, /HTTP\/1\.1 400/)).not.toContain('"context"');
  });

  it('serves HTTP/2 with prior knowledge (gRPC\'s way) on a tunnel that starts with the preface', async () => {
    const http = server();
    // A socket is a duplex like a tunnel: every accepted one is served as a tunnel.
    const listener = createServer((socket) => http.serve(socket, TUNNEL));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    const session = http2Connect(`http://127.0.0.1:${port}`);
    try {
      const request = session.request({ ':path': '/h2', 'content-type': 'application/grpc' });
      request.end();
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      await withTimeout(new Promise((resolve) => request.on('end', resolve)), 'the HTTP/2 answer');
      expect(JSON.parse(body)).toMatchObject({ method: 'GET', url: '/h2', context: { routeTable: TUNNEL.routeTable, protocol: 'grpc', source: { identity: CLIENT, namespace: 'web' }, destination: TUNNEL.destination } });
    } finally {
      session.destroy();
      http.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('closes a tunnel that says nothing before the sniff timeout', async () => {
    const t = tunnel();
    server({ sniffTimeoutMs: 20 }).serve(t.stream, TUNNEL);
    await withTimeout(t.closed, 'the silent tunnel to close');
  });
});
