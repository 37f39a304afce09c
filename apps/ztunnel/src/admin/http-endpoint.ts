import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { HostPort } from '../config/index.js';
import { EndpointListenError } from './errors.js';

/** What one path answers. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type HttpHandler = () => HttpAnswer | Promise<HttpAnswer>;

export interface HttpEndpointOptions {
  /** For errors and logs: `admin`, `metrics`, `readiness`. */
  readonly name: string;
  readonly address: HostPort;
  /** The flag that sets the address, for the hint of a listen error. */
  readonly flag: string;
  readonly routes: ReadonlyMap<string, HttpHandler>;
  readonly log: Logger;
}

const TEXT = 'text/plain; charset=utf-8';
/** Slow or idle clients of a read-only endpoint get this long, not Node's minutes. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A read-only HTTP endpoint (node:http, no framework): GET only, known paths only, no
 * request body read; each answer is computed when asked. The control plane's admin
 * stage follows the same rules.
 */
export class HttpEndpoint {
  readonly #options: HttpEndpointOptions;
  readonly #server: Server;
  #address: HostPort | undefined;

  constructor(options: HttpEndpointOptions) {
    this.#options = options;
    this.#server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (request, response) => void this.#handle(request, response));
    this.#server.keepAliveTimeout = REQUEST_TIMEOUT_MS;
  }

  get address(): HostPort | undefined {
    return this.#address;
  }

  listen(): Promise<void> {
    const { host, port } = this.#options.address;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(new EndpointListenError(this.#options.name, formatAddress(this.#options.address), this.#options.flag, error));
      this.#server.once('error', onError);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        this.#address = Object.freeze({ host, port: (this.#server.address() as AddressInfo).port });
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.#address = undefined;
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Answers are computed at once; nothing is cut short by dropping idle keep-alive connections.
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: HttpAnswer;
    try {
      answer = await this.#answer(request);
    } catch (error) {
      this.#options.log.error(`${this.#options.name} endpoint failed`, { path: request.url, error: errorText(error) });
      answer = { status: 500, contentType: TEXT, body: 'internal error; see the ztunnel log\n' };
    }
    const headers: Record<string, string | number> = { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body), 'cache-control': 'no-store' };
    if (answer.status === 405) headers.allow = 'GET';
    response.writeHead(answer.status, headers).end(answer.body);
  }

  async #answer(request: IncomingMessage): Promise<HttpAnswer> {
    if (request.method !== 'GET') return { status: 405, contentType: TEXT, body: 'only GET is served here\n' };
    const path = new URL(request.url ?? '/', 'http://endpoint').pathname;
    const handler = this.#options.routes.get(path);
    if (handler === undefined) return { status: 404, contentType: TEXT, body: `no endpoint ${path}; try ${[...this.#options.routes.keys()].join(', ')}\n` };
    return handler();
  }
}

export function jsonAnswer(value: unknown): HttpAnswer {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value, null, 2)}\n` };
}

export function textAnswer(status: number, body: string): HttpAnswer {
  return { status, contentType: TEXT, body };
}
