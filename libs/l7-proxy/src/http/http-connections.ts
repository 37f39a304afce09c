import { createServer as createHttp1Server, type IncomingMessage, type Server as Http1Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { Logger } from '@ambit/telemetry';
import { DOWNSTREAM_SERVER_OPTIONS } from '../engine/index.js';
import { sniffHttp2 } from './sniff-http2.js';

/** How a connection's first bytes are read: HTTP/1.1, HTTP/2 with prior knowledge, or whichever its preface says. */
export type ConnectionProtocol = 'http1' | 'h2' | 'sniff';

export interface HttpConnectionsOptions<T> {
  /** Every request, with what its connection was served with. */
  readonly handle: (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, connection: T) => void;
  readonly log: Logger;
  /** How a connection should look to node's HTTP servers (default: as it is). */
  readonly socket?: (stream: Duplex) => Duplex;
  /** How long a connection may stay silent before its protocol is known (default 10 s). */
  readonly sniffTimeoutMs?: number;
}

/**
 * Serves HTTP on connections a proxy accepted (an HBONE tunnel, a TCP or TLS socket):
 * HTTP/1.1, or HTTP/2 with prior knowledge (h2c; gRPC is HTTP/2), each request handed
 * on with the connection's own context. HTTP/1.1 gets the engine's downstream limits:
 * strict parsing (smuggling, obs-fold → 400), header size (431), header timeout (408).
 */
export class HttpConnections<T> {
  readonly #options: HttpConnectionsOptions<T>;
  readonly #http1: Http1Server;
  readonly #contexts = new WeakMap<object, T>();
  readonly #sessions = new Set<ServerHttp2Session>();
  #draining = false;

  constructor(options: HttpConnectionsOptions<T>) {
    this.#options = options;
    this.#http1 = createHttp1Server(DOWNSTREAM_SERVER_OPTIONS, (req, res) => {
      const context = this.#contexts.get(req.socket);
      if (context === undefined) return void res.writeHead(500).end();
      if (this.#draining) res.setHeader('connection', 'close');
      options.handle(req, res, context);
    });
  }

  /** Serves one connection until either side ends it. */
  serve(stream: Duplex, context: T, protocol: ConnectionProtocol = 'sniff'): void {
    if (protocol !== 'sniff') return this.#start(stream, context, protocol === 'h2');
    sniffHttp2(stream, this.#options.sniffTimeoutMs ?? 10_000).then(
      (http2) => {
        if (!stream.destroyed) this.#start(stream, context, http2);
      },
      (error: unknown) => {
        this.#options.log.debug('connection closed before its protocol was known', { error: error instanceof Error ? error.message : String(error) });
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

  #start(stream: Duplex, context: T, http2: boolean): void {
    const socket = this.#options.socket?.(stream) ?? stream;
    if (!http2) {
      this.#contexts.set(socket, context);
      this.#http1.emit('connection', socket);
      return;
    }
    // One HTTP/2 server per connection: the connection (not a request's socket) carries the context.
    const server = createHttp2Server({ maxSessionInvalidFrames: 100, maxSessionRejectedStreams: 100 }, (req, res) => this.#options.handle(req, res, context));
    server.on('session', (session: ServerHttp2Session) => {
      this.#sessions.add(session);
      session.once('close', () => this.#sessions.delete(session));
      if (this.#draining) session.close();
    });
    server.emit('connection', socket);
  }
}
