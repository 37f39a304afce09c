import { createServer as createHttp1Server, type IncomingMessage, type Server as Http1Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { Logger } from '@ambit/telemetry';
import { DOWNSTREAM_SERVER_OPTIONS, type RequestEngine, type WaypointRequestContext } from '../engine/index.js';
import { tunnelSocket } from './tunnel-socket.js';

/** HTTP/2's connection preface: a client speaking HTTP/2 with prior knowledge starts with it. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** Who a tunnel is from and which route table its requests use. */
export interface TunnelInfo {
  readonly routeTable: string;
  readonly sourceIdentity: string;
  readonly sourceNamespace: string;
  readonly sourceIp: string | undefined;
}

export interface TunnelHttpOptions {
  readonly engine: RequestEngine;
  readonly log: Logger;
  /** How long a tunnel may stay silent before its protocol is known (default 10 s). */
  readonly sniffTimeoutMs?: number;
}

/**
 * Serves HTTP on accepted tunnels: each tunnel is one client connection, carrying
 * HTTP/1.1, or HTTP/2 with prior knowledge (told by its preface; gRPC is HTTP/2). Every
 * request goes to the engine with the tunnel's route table and source. Oversized headers
 * are answered 431 and malformed requests 400 by node's parsers before the engine sees them.
 */
export class TunnelHttp {
  readonly #options: TunnelHttpOptions;
  readonly #http1: Http1Server;
  readonly #tunnels = new WeakMap<object, TunnelInfo>();
  readonly #sessions = new Set<ServerHttp2Session>();
  #draining = false;

  constructor(options: TunnelHttpOptions) {
    this.#options = options;
    this.#http1 = createHttp1Server(
      // The engine's downstream limits: strict parsing (smuggling, obs-fold → 400), header size (431), header timeout (408).
      DOWNSTREAM_SERVER_OPTIONS,
      (req, res) => {
        const tunnel = this.#tunnels.get(req.socket);
        if (tunnel === undefined) return void res.writeHead(500).end();
        if (this.#draining) res.setHeader('connection', 'close');
        this.#serve(req, res, tunnel);
      },
    );
  }

  /** Serves one accepted tunnel until either side ends it. */
  serve(stream: Duplex, tunnel: TunnelInfo): void {
    sniffHttp2(stream, this.#options.sniffTimeoutMs ?? 10_000).then(
      (http2) => {
        if (stream.destroyed) return;
        if (http2) return this.#serveHttp2(stream, tunnel);
        const socket = tunnelSocket(stream);
        this.#tunnels.set(socket, tunnel);
        this.#http1.emit('connection', socket);
      },
      (error: unknown) => {
        this.#options.log.debug('tunnel closed before its protocol was known', { error: error instanceof Error ? error.message : String(error) });
        stream.destroy();
      },
    );
  }

  /** New HTTP/1.1 responses say `connection: close`, idle connections close, HTTP/2 sessions get GOAWAY. */
  drain(): void {
    this.#draining = true;
    this.#http1.closeIdleConnections();
    for (const session of this.#sessions) session.close();
  }

  /** Cuts whatever is still open (the drain deadline passed). */
  close(): void {
    this.#draining = true;
    this.#http1.closeAllConnections();
    for (const session of this.#sessions) session.destroy();
  }

  #serveHttp2(stream: Duplex, tunnel: TunnelInfo): void {
    // One HTTP/2 server per tunnel: the tunnel (not a request's socket) carries the context.
    const server = createHttp2Server({ maxSessionInvalidFrames: 100, maxSessionRejectedStreams: 100 }, (req, res) => this.#serve(req, res, tunnel));
    server.on('session', (session: ServerHttp2Session) => {
      this.#sessions.add(session);
      session.once('close', () => this.#sessions.delete(session));
      if (this.#draining) session.close();
    });
    server.emit('connection', tunnelSocket(stream));
  }

  #serve(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, tunnel: TunnelInfo): void {
    const context: WaypointRequestContext = {
      routeTable: tunnel.routeTable,
      source: { identity: tunnel.sourceIdentity, namespace: tunnel.sourceNamespace, ...(tunnel.sourceIp === undefined ? {} : { ip: tunnel.sourceIp }) },
      // The tunnel is mutual TLS, but the request inside it is plain HTTP, as Envoy's waypoint sees it.
      scheme: 'http',
      protocol: isGrpc(req.headers['content-type']) ? 'grpc' : 'http',
    };
    this.#options.engine.handle(req, res, context);
  }
}

function isGrpc(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/grpc(\+|;|$)/i.test(contentType);
}

/**
 * Reads the first bytes of a tunnel until they tell HTTP/2's preface from anything
 * else, then puts them back. Resolves true for HTTP/2; rejects when the tunnel ends or
 * stays silent for `timeoutMs`.
 */
export function sniffHttp2(stream: Duplex, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      stream.removeListener('readable', onReadable);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) {
        seen = Buffer.concat([seen, chunk]);
        const compared = Math.min(seen.length, HTTP2_PREFACE.length);
        const prefix = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
        if (!prefix || seen.length >= HTTP2_PREFACE.length) {
          done();
          stream.unshift(seen);
          return resolve(prefix);
        }
      }
    };
    const onEnd = (): void => {
      done();
      reject(new Error(`the tunnel ended after ${seen.length} bytes`));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no HTTP request within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
  });
}
