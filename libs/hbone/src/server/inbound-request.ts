import { constants, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { SpiffeId } from '@ambit/crypto';
import type { IpPort } from '../wire/authority.js';
import { BAGGAGE, FORWARDED, forwardedClientIp, TRACEPARENT } from '../wire/headers.js';

/** What the ztunnel learns about one tunnel before deciding whether to open it. */
export interface HboneInboundInfo {
  /** The client's SPIFFE identity, from its certificate verified against the trust bundle. */
  readonly clientIdentity: SpiffeId;
  /** `:authority`: where the tunnel should lead. */
  readonly destination: IpPort;
  /** The TCP peer of the HBONE connection (the source ztunnel or waypoint). */
  readonly peer: IpPort;
  /** Where the HBONE connection arrived (under transparent capture, the destination workload's IP and 15008). */
  readonly local: IpPort;
  /** The `forwarded` header as sent, and the original client's IP read from its `for=`. */
  readonly forwarded: string | undefined;
  readonly originalClientIp: string | undefined;
  readonly traceparent: string | undefined;
  readonly baggage: string | undefined;
}

/**
 * One CONNECT the server has validated, waiting for the handler's decision. The handler
 * applies policy and connects upstream, then `accept`s (200; the stream is the tunnel)
 * or `reject`s with a status (401/403 for policy, 503 when the upstream is not
 * reachable, as ztunnel answers). Only the first decision counts.
 */
export class HboneInboundRequest implements HboneInboundInfo {
  readonly clientIdentity: SpiffeId;
  readonly destination: IpPort;
  readonly peer: IpPort;
  readonly local: IpPort;
  readonly forwarded: string | undefined;
  readonly originalClientIp: string | undefined;
  readonly traceparent: string | undefined;
  readonly baggage: string | undefined;
  readonly #stream: ServerHttp2Stream;
  #decided = false;

  constructor(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, connection: Pick<HboneInboundInfo, 'clientIdentity' | 'peer' | 'local'>, destination: IpPort) {
    this.#stream = stream;
    this.clientIdentity = connection.clientIdentity;
    this.peer = connection.peer;
    this.local = connection.local;
    this.destination = destination;
    this.forwarded = single(headers[FORWARDED]);
    this.originalClientIp = forwardedClientIp(this.forwarded);
    this.traceparent = single(headers[TRACEPARENT]);
    this.baggage = single(headers[BAGGAGE]);
  }

  /** Whether `accept` or `reject` was called. */
  get decided(): boolean {
    return this.#decided;
  }

  /**
   * Answers 200 and returns the tunnel: a duplex whose end is END_STREAM (a TCP FIN)
   * and whose `close(code)` resets it (`relay` does both for a socket).
   */
  accept(): ServerHttp2Stream {
    this.#decide();
    // A client that went away meanwhile gets nothing; the caller finds the stream closed.
    if (!this.#stream.destroyed) this.#stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200 });
    return this.#stream;
  }

  reject(status: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`reject() takes a 4xx or 5xx status, not ${status}`);
    this.#decide();
    respondAndClose(this.#stream, status);
  }

  #decide(): void {
    if (this.#decided) throw new Error('this HBONE request was already answered');
    this.#decided = true;
  }
}

/** A final answer with no tunnel: the status, END_STREAM, and the request side closed. */
export function respondAndClose(stream: ServerHttp2Stream, status: number, extra: Record<string, string> = {}): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, ...extra }, { endStream: true });
  // The client may still be sending; nothing it sends now is wanted.
  stream.close(constants.NGHTTP2_NO_ERROR);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
