import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { Endpoint, RequestContext, RequestObserver } from './types.js';
import { DownstreamView, type DownstreamRequest } from '../http/downstream-request.js';
import type { HeaderMap } from '../http/headers.js';
import type { ResponseFlag } from '../http/response-flags.js';
import type { HeaderVariables } from '../filters/header-operations.js';

export type DownstreamResponse = ServerResponse | Http2ServerResponse;

/** What every response carries, whoever produced it. */
export interface ResponseDefaults {
  /** The `server` header every response gets (Envoy's server_name with OVERWRITE). */
  readonly serverName: string;
}

/**
 * One request through the engine: the downstream pair, what routing decided, the
 * response flags, and the one report to the RequestObserver when the response is done
 * (or the client went away).
 */
export class Exchange implements HeaderVariables {
  readonly req: DownstreamRequest;
  readonly res: DownstreamResponse;
  readonly context: RequestContext;
  readonly request: DownstreamView;
  readonly protocol: string;
  readonly requestId: string;
  readonly flags = new Set<ResponseFlag>();
  route: string | undefined;
  cluster: string | undefined;
  endpoint: Endpoint | undefined;
  /** Request body bytes, kept current by whoever reads the body. */
  requestBytes: () => number = () => 0;
  responseBytes = 0;
  readonly #started: number;
  readonly #defaults: ResponseDefaults;
  #status = 0;
  #gone = false;
  #resetByUs = false;

  constructor(req: DownstreamRequest, res: DownstreamResponse, context: RequestContext, defaults: ResponseDefaults, now: () => number, observer: RequestObserver | undefined) {
    this.req = req;
    this.res = res;
    this.context = context;
    this.request = new DownstreamView(req, context);
    this.protocol = req.httpVersion === '2.0' ? 'HTTP/2' : `HTTP/${req.httpVersion}`;
    const id = req.headers['x-request-id'];
    this.requestId = typeof id === 'string' && id !== '' ? id : randomUUID();
    this.#defaults = defaults;
    this.#started = now();
    res.once('close', () => {
      if (!res.writableFinished && !this.#resetByUs) {
        this.#gone = true;
        this.flags.add('DC');
      }
      observer?.completed({
        context,
        route: this.route,
        cluster: this.cluster,
        endpoint: this.endpoint,
        status: this.#gone && !res.headersSent ? 0 : this.#status,
        responseFlags: this.flags.size === 0 ? '-' : [...this.flags].join(','),
        durationMs: now() - this.#started,
        requestBytes: this.requestBytes(),
        responseBytes: this.responseBytes,
      });
    });
  }

  /** The client closed before the response was complete. */
  get gone(): boolean {
    return this.#gone || this.res.destroyed;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  /** Sends the status and headers (the `server` header overwritten); nothing when the client is gone. */
  writeHead(status: number, headers: HeaderMap): boolean {
    if (this.gone || this.res.headersSent) return false;
    this.#status = status;
    headers['server'] = this.#defaults.serverName;
    this.res.writeHead(status, headers);
    return true;
  }

  /** Writes a body chunk, counting it; false when the client wants a pause. */
  write(chunk: Buffer): boolean {
    this.responseBytes += chunk.length;
    return (this.res as ServerResponse).write(chunk);
  }

  /** Cuts the response stream (the answer cannot be completed); not reported as the client's doing (DC). */
  reset(flag?: ResponseFlag): void {
    if (flag !== undefined) this.flags.add(flag);
    if (this.gone) return;
    this.#resetByUs = true;
    this.res.destroy();
  }

  /** Answers locally (Envoy's local reply): text/plain body when there is one. */
  reply(status: number, body: string | Buffer, flag?: ResponseFlag, headers: HeaderMap = {}): void {
    if (flag !== undefined) this.flags.add(flag);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (bytes.length > 0) headers['content-type'] ??= 'text/plain';
    headers['content-length'] = String(bytes.length);
    if (!this.writeHead(status, headers)) {
      // Headers already went out (a timeout mid-response): all that is left is to cut the stream.
      this.reset();
      return;
    }
    if (this.req.method === 'HEAD') {
      this.res.end();
      return;
    }
    this.responseBytes += bytes.length;
    this.res.end(bytes);
  }
}
