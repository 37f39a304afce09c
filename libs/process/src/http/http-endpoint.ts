import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { HostPort } from '../settings/parsers.js';
import { textAnswer, type HttpAnswer, type HttpHandler } from './http-answer.js';

export interface HttpEndpointOptions {
  /** For logs: `admin`, `metrics`, `readiness`. */
  readonly name: string;
  readonly address: HostPort;
  readonly routes: ReadonlyMap<string, HttpHandler>;
  readonly log: Logger;
  /** Whose log a 500 answer points to: "see the <program> log". */
  readonly program: string;
  /** The program's own typed error for an address that cannot be bound (its code and hint name the program's flag). */
  readonly listenError: (address: string, cause: unknown) => Error;
}

/** Slow or idle clients of a read-only endpoint get this long, not Node's minutes. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A read-only HTTP endpoint (node:http, no framework): GET only, known paths only, no
 * request body ever read; each answer is computed when asked, so the endpoint holds no
 * state of its own but its socket.
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

  /** The bound address (the real port when 0 was asked); undefined until listening and after close. */
  get address(): HostPort | undefined {
    return this.#address;
  }

  listen(): Promise<void> {
    const { host, port } = this.#options.address;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(this.#options.listenError(formatAddress(this.#options.address), error));
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
    // Answers are computed at once, so no request is cut short by dropping the
    // connections that keep-alive holds open.
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: HttpAnswer;
    try {
      answer = await this.#answer(request);
    } catch (error) {
      this.#options.log.error(`${this.#options.name} endpoint failed`, { path: request.url, error: errorText(error) });
      answer = textAnswer(500, `internal error; see the ${this.#options.program} log\n`);
    }
    const headers: Record<string, string | number> = { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body), 'cache-control': 'no-store' };
    if (answer.status === 405) headers.allow = 'GET';
    response.writeHead(answer.status, headers).end(answer.body);
  }

  async #answer(request: IncomingMessage): Promise<HttpAnswer> {
    if (request.method !== 'GET') return textAnswer(405, 'only GET is served here\n');
    // The host part is irrelevant: the path selects an endpoint, which may read the query.
    const url = new URL(request.url ?? '/', 'http://endpoint');
    const handler = this.#options.routes.get(url.pathname);
    if (handler === undefined) return textAnswer(404, `no endpoint ${url.pathname}; try ${[...this.#options.routes.keys()].join(', ')}\n`);
    return handler(url.searchParams);
  }
}
