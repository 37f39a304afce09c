import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { l7V1 } from '@ambit/xds';
import { DOWNSTREAM_SERVER_OPTIONS } from '../http/downstream-server.js';
import { L7Engine, type L7EngineOptions } from '../engine/l7-engine.js';
import type { Endpoint, RequestContext, RequestInfo, UpstreamConnector } from '../engine/types.js';

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

/** An upstream HTTP server on its own loopback address; echoes the request as JSON unless given a handler. */
export class Upstream {
  readonly name: string;
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  connections = 0;
  handler: UpstreamHandler | undefined;
  readonly #server: http.Server;
  #endpoint: Endpoint | undefined;

  constructor(name: string, handler?: UpstreamHandler) {
    this.name = name;
    this.handler = handler;
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString() });
        if (this.handler !== undefined) return this.handler(req, res, body);
        res.writeHead(200, { 'content-type': 'application/json', server: 'echo' });
        res.end(JSON.stringify({ upstream: this.name, method: req.method, url: req.url, headers: req.headers, body: body.toString() }));
      });
    });
    this.#server.on('connection', () => this.connections++);
  }

  async listen(ip: string): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, ip, resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#endpoint = { uid: `${this.name}-uid`, ip, port, identity: `spiffe://cluster.local/ns/default/sa/${this.name}`, healthy: true };
    return this;
  }

  get endpoint(): Endpoint {
    return this.#endpoint!;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Plain TCP to the endpoint's ip:port: what the apps do over HBONE. */
export const TCP_CONNECTOR: UpstreamConnector = {
  connect: (endpoint, signal) =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: endpoint.ip, port: endpoint.port });
      const abort = (): void => {
        socket.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', abort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', abort);
        resolve(socket);
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      });
    }),
};

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  json<T = { upstream: string; url: string; headers: Record<string, string>; body: string }>(): T;
}

/** An engine behind a real http.Server on 127.0.0.1, its route table chosen by the `x-table` header (default "main"). */
export class Front {
  readonly engine: L7Engine;
  readonly completed: RequestInfo[] = [];
  /** Requests handed to the engine (its routing and first upstream try start synchronously in handle). */
  handled = 0;
  readonly #server: http.Server;
  #port = 0;

  constructor(options: Partial<L7EngineOptions> = {}, context: Partial<RequestContext> = {}) {
    this.engine = new L7Engine({ upstream: TCP_CONNECTOR, metrics: { completed: (info) => this.completed.push(info) }, ...options });
    this.#server = http.createServer(DOWNSTREAM_SERVER_OPTIONS, (req, res) => {
      this.handled++;
      const table = typeof req.headers['x-table'] === 'string' ? req.headers['x-table'] : 'main';
      this.engine.handle(req, res, { routeTable: table, source: { ip: req.socket.remoteAddress, namespace: 'default' }, scheme: 'http', ...context });
    });
  }

  update(routeTables: Record<string, l7V1.RouteTable>, clusters: Record<string, l7V1.Cluster>, endpoints: Record<string, Endpoint[]>): void {
    this.engine.update({
      routeTables: new Map(Object.entries(routeTables)),
      clusters: new Map(Object.entries(clusters)),
      endpoints: { endpoints: (c) => endpoints[c.subset === '' ? c.hostname : c.subset] ?? [] },
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get port(): number {
    return this.#port;
  }

  request(path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.#port, path, method: options.method ?? 'GET', headers: { host: 'example.com', ...options.headers }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /** Raw bytes in, the first bytes of the answer out (the connection is closed by the peer or after 5 s). */
  raw(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.#port });
      let answer = '';
      const timer = setTimeout(() => socket.destroy(), 5000);
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.on('error', reject);
      socket.write(bytes);
    });
  }

  async close(): Promise<void> {
    this.engine.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
