import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../config/index.js';
import { StageClosedError, type Runner } from '../runner.js';
import { AdminListenError } from './errors.js';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import type { AdminHandler, AdminResponse } from './routes.js';

export interface AdminStageOptions {
  readonly address: ListenAddress;
  readonly routes: ReadonlyMap<string, AdminHandler>;
  readonly log: Logger;
}

/** Slow or idle clients of a read-only endpoint get this long, not Node's minutes. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The admin HTTP endpoints (node:http, no framework): GET only, known paths only, no
 * request body ever read. Each answer is computed when asked from the other stages'
 * read-only views, so this stage holds no state of its own but its socket.
 */
export class AdminStage implements Runner {
  readonly name = 'admin';
  readonly #options: AdminStageOptions;
  readonly #server: Server;
  #address: ListenAddress | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: AdminStageOptions) {
    this.#options = options;
    this.#server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (request, response) => {
      void this.#handle(request, response);
    });
    this.#server.keepAliveTimeout = REQUEST_TIMEOUT_MS;
  }

  /** The bound address (the real port when 0 was asked); undefined until listening. */
  get address(): ListenAddress | undefined {
    return this.#address;
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#listen();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  #listen(): Promise<void> {
    const { host, port } = this.#options.address;
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(new AdminListenError(formatAddress(this.#options.address), error));
      this.#server.once('error', onError);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', onError);
        this.#address = Object.freeze({ host, port: (this.#server.address() as AddressInfo).port });
        resolve();
      });
    });
  }

  async #close(): Promise<void> {
    this.#address = undefined;
    await this.#starting?.catch(() => undefined);
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Answers are computed synchronously (metrics in a tick), so no request is cut short
    // by dropping the connections that keep-alive holds open.
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: AdminResponse;
    try {
      answer = await this.#answer(request);
    } catch (error) {
      this.#options.log.error('admin endpoint failed', { path: request.url, error: errorText(error) });
      answer = { status: 500, contentType: 'text/plain; charset=utf-8', body: 'internal error; see the control plane log\n' };
    }
    const headers: Record<string, string | number> = {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
      'cache-control': 'no-store',
    };
    if (answer.status === 405) headers.allow = 'GET';
    response.writeHead(answer.status, headers).end(answer.body);
  }

  async #answer(request: IncomingMessage): Promise<AdminResponse> {
    if (request.method !== 'GET') return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'only GET is served here\n' };
    // The host part is irrelevant: the path selects an endpoint, which may read the query.
    const url = new URL(request.url ?? '/', 'http://admin');
    const path = url.pathname;
    const handler = this.#options.routes.get(path);
    if (handler === undefined) return { status: 404, contentType: 'text/plain; charset=utf-8', body: `no endpoint ${path}; try ${[...this.#options.routes.keys()].join(', ')}\n` };
    return handler(url.searchParams);
  }
}
