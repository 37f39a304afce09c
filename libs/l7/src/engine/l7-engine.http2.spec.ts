import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import type { RequestInfo } from './types.js';
import { L7Engine } from './l7-engine.js';
import { TCP_CONNECTOR, Upstream } from '../__support__/harness.js';
import { cluster, forwardRoute, routeTable } from '../__support__/resources.js';

// HTTP/2 clients (the gateway's HTTP2 servers, HBONE-carried h2 at the waypoint) through
// node's compatibility API; the upstream stays HTTP/1.1.
describe('L7Engine with an HTTP/2 downstream', () => {
  const upstream = new Upstream('h1', (_req, res) => {
    res.writeHead(200, { connection: 'keep-alive', 'keep-alive': 'timeout=5', 'x-app': 'yes' });
    res.end('over h1');
  });
  const completed: RequestInfo[] = [];
  const engine = new L7Engine({ upstream: TCP_CONNECTOR, metrics: { completed: (info) => completed.push(info) } });
  const server = http2.createServer((req, res) => engine.handle(req, res, { routeTable: 'main', source: {}, scheme: 'http' }));
  let client: http2.ClientHttp2Session;

  beforeAll(async () => {
    await upstream.listen('127.0.32.1');
    engine.update({
      routeTables: new Map([['main', routeTable([{ domains: ['*'], routes: [forwardRoute('r', { clusters: ['c'] })] }])]]),
      clusters: new Map([['c', cluster({ hostname: 'h1' })]]),
      endpoints: { endpoints: () => [upstream.endpoint] },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    client.close();
    engine.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await upstream.close();
  });

  it('forwards with :authority as host and strips connection-specific headers from the answer', async () => {
    const stream = client.request({ ':method': 'POST', ':path': '/h2?x=1', ':authority': 'svc.example.com', 'content-type': 'text/plain' });
    stream.end('body');
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once('response', resolve));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(headers[':status']).toBe(200);
    expect(headers['x-app']).toBe('yes');
    expect(headers['server']).toBe('istio-envoy');
    expect(headers['connection']).toBeUndefined();
    expect(Buffer.concat(chunks).toString()).toBe('over h1');
    expect(upstream.requests[0]).toMatchObject({ url: '/h2?x=1', body: 'body' });
    expect(upstream.requests[0]!.headers.host).toBe('svc.example.com');
    const info = await eventually(() => completed[0], 'the report');
    expect(info).toMatchObject({ status: 200, responseFlags: '-', requestBytes: 4, responseBytes: 7 });
  });
});
