import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { SpiffeId } from '@ambit/crypto';
import { HttpConnections, requestProtocol, type ProxyRequestContext, type RequestDestination, type RequestEngine } from '@ambit/l7-proxy';
import type { Logger } from '@ambit/telemetry';
import { tunnelSocket } from './tunnel-socket.js';

/** Who a tunnel is from, where it leads and which route table its requests use. */
export interface TunnelInfo {
  readonly routeTable: string;
  /** The original client's verified identity (the HBONE peer certificate). */
  readonly peer: SpiffeId;
  /** The CONNECT's VIP and port, and that VIP's service. */
  readonly destination: RequestDestination;
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
 * request goes to the engine with the tunnel's route table and source.
 */
export class TunnelHttp {
  readonly #connections: HttpConnections<TunnelInfo>;

  constructor(options: TunnelHttpOptions) {
    const serve = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, tunnel: TunnelInfo): void => {
      const context: ProxyRequestContext = {
        routeTable: tunnel.routeTable,
        source: { identity: tunnel.peer.toString(), namespace: tunnel.peer.namespace, ...(tunnel.sourceIp === undefined ? {} : { ip: tunnel.sourceIp }) },
        // The tunnel is mutual TLS, but the request inside it is plain HTTP, as Envoy's waypoint sees it.
        scheme: 'http',
        protocol: requestProtocol(req.headers['content-type']),
        peer: tunnel.peer,
        destination: tunnel.destination,
      };
      options.engine.handle(req, res, context);
    };
    this.#connections = new HttpConnections({ handle: serve, log: options.log, socket: tunnelSocket, ...(options.sniffTimeoutMs === undefined ? {} : { sniffTimeoutMs: options.sniffTimeoutMs }) });
  }

  /** Serves one accepted tunnel until either side ends it. */
  serve(stream: Duplex, tunnel: TunnelInfo): void {
    this.#connections.serve(stream, tunnel);
  }

  /** New HTTP/1.1 responses say `connection: close`, idle connections close, HTTP/2 sessions get GOAWAY. */
  drain(): void {
    this.#connections.drain();
  }

  /** Cuts whatever is still open (the drain deadline passed). */
  close(): void {
    this.#connections.close();
  }
}
