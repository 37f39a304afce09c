import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { SpiffeId } from '@ambit/crypto';
import { L7Engine, type AuthorizeHook, type EndpointResolver, type RequestContext, type RequestObserver, type UpstreamConnector } from '@ambit/l7';
import type { Logger } from '@ambit/telemetry';
import type { L7Resources } from '../state/index.js';

/**
 * The listener context of one request as a proxy builds it: the engine's, plus what
 * telemetry labels need (the protocol Istio reports as `request_protocol`).
 */
export interface ProxyRequestContext extends RequestContext {
  readonly protocol: 'http' | 'grpc';
  /** The client's verified identity (`source.identity` is its text): the principal authorization matches. */
  readonly peer?: SpiffeId;
  /** Where the client sent the request (a waypoint: its CONNECT's VIP and port). */
  readonly destination?: RequestDestination;
}

/** A request's destination as authorization matches it. */
export interface RequestDestination {
  readonly ip: string;
  readonly port: number;
  /** `namespace/hostname` of the service of that address; undefined for a workload's address. */
  readonly service: string | undefined;
}

/** What a proxy asks of the engine: new resources after each xDS update, and each request it accepts. */
export interface RequestEngine {
  update(resources: L7Resources & { readonly endpoints: EndpointResolver }): void;
  handle(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, context: ProxyRequestContext): void;
}

export interface EngineOptions {
  readonly upstream: UpstreamConnector;
  readonly log: Logger;
  readonly metrics: RequestObserver;
  /** Authorizes each routed request (a waypoint's policies); absent: no L7 authorization. */
  readonly authorize?: AuthorizeHook<ProxyRequestContext>;
}

export type EngineFactory = (options: EngineOptions) => RequestEngine;

/** The L7 engine of libs/l7, executing the route tables and clusters the proxy receives. */
export const createEngine: EngineFactory = (options) => new L7Engine<ProxyRequestContext>(options);

/** `request_protocol` as Istio reports it: gRPC by its content type, else HTTP. */
export function requestProtocol(contentType: string | undefined): 'http' | 'grpc' {
  return contentType !== undefined && /^application\/grpc(\+|;|$)/i.test(contentType) ? 'grpc' : 'http';
}
