import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeApiUnreachableError } from './errors.js';

export interface ApiRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/v1/pods?limit=500`. */
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Aborts the request (a caller's deadline, or the provider closing). */
  readonly signal: AbortSignal;
  /** Largest response body accepted; a larger one fails the request. */
  readonly maxBytes: number;
}

/**
 * Plain JSON requests to the API server of a kubeconfig, with its TLS settings and
 * credentials (client-node's `applyToHTTPSOptions`, so token files and exec plugins
 * work as for its own clients). client-node's generated clients turn objects into
 * model classes (dates, renamed fields); the provider needs the JSON the server sent,
 * exactly as watch events carry it, so lists and TokenReviews go through here.
 */
export class KubeApiClient {
  readonly #config: KubeConfig;
  /** The API server's URL, without a trailing slash. */
  readonly server: string;

  constructor(config: KubeConfig) {
    this.#config = config;
    this.server = (config.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  }

  /** The parsed JSON of a 2xx answer; KubeApiError for an error status, KubeApiUnreachableError otherwise. */
  async request(request: ApiRequest): Promise<unknown> {
    const { method, path, signal } = request;
    const url = new URL(`${this.server}${path}`);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const options: RequestOptions = { method, headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
    try {
      await this.#config.applyToHTTPSOptions(options);
    } catch (error) {
      throw new KubeApiUnreachableError(method, path, `the kubeconfig's credentials cannot be used: ${describe(error)}`, error);
    }
    signal.throwIfAborted();
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      const req = send(url, { ...options, signal }, resolve);
      req.on('error', (error) => reject(new KubeApiUnreachableError(method, path, signal.aborted ? 'the request was aborted or timed out' : describe(error), error)));
      req.end(body);
    });
    const text = await readBody(response, request.maxBytes, method, path);
    const status = response.statusCode ?? 0;
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      if (status >= 200 && status < 300) throw new KubeApiUnreachableError(method, path, `the answer (${status}) is not JSON`, error);
    }
    if (status < 200 || status >= 300) {
      const { reason, message } = (typeof json === 'object' && json !== null ? json : {}) as { reason?: unknown; message?: unknown };
      throw new KubeApiError(method, path, status, typeof reason === 'string' ? reason : undefined, typeof message === 'string' ? message : undefined);
    }
    return json;
  }
}

async function readBody(response: IncomingMessage, maxBytes: number, method: string, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.destroy();
        throw new KubeApiUnreachableError(method, path, `the answer is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof KubeApiUnreachableError) throw error;
    throw new KubeApiUnreachableError(method, path, `the answer was cut off: ${describe(error)}`, error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
