import type { ServerResponse } from 'node:http';
import type { KubeStatus } from './errors.js';
import type { StoredEvent } from './object-store.js';
import type { KubeObject, Selector } from './selectors.js';

export interface WatchScope {
  /** `resourceName()` of the watched resource. */
  readonly resource: string;
  readonly kind: string;
  /** The apiVersion events are served as (the version in the request path). */
  readonly apiVersion: string;
  /** Only this namespace; undefined for all. */
  readonly namespace: string | undefined;
  readonly selects: Selector;
  readonly bookmarks: boolean;
}

/**
 * One open watch: newline-delimited JSON events on a chunked response, as the API
 * server writes them. It ends on timeoutSeconds, after an ERROR, when the test drops it,
 * or when the client goes away.
 */
export class WatchStream {
  readonly scope: WatchScope;
  readonly #response: ServerResponse;
  readonly #onEnd: () => void;
  #timer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(response: ServerResponse, scope: WatchScope, timeoutMs: number | undefined, onEnd: () => void) {
    this.scope = scope;
    this.#response = response;
    this.#onEnd = onEnd;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    // Headers go now: a client waits for them before it counts the watch as open.
    response.flushHeaders();
    response.on('close', () => this.#finish());
    if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.end(), timeoutMs);
  }

  /** Writes what a change of the store means to this watch, if anything. */
  deliver(event: StoredEvent): void {
    if (event.resource !== this.scope.resource) return;
    const now = this.#visible(event.type === 'DELETED' ? undefined : event.object);
    const before = this.#visible(event.previous);
    // As the API server does with selectors: entering the selection is ADDED, leaving it DELETED.
    if (now && before) this.send(event.type, event.object);
    else if (now) this.send('ADDED', event.object);
    else if (before) this.send('DELETED', event.object);
  }

  send(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    this.#write({ type, object: { ...object, apiVersion: this.scope.apiVersion, kind: this.scope.kind } });
  }

  bookmark(revision: number): void {
    if (!this.scope.bookmarks) return;
    this.#write({ type: 'BOOKMARK', object: { kind: this.scope.kind, apiVersion: this.scope.apiVersion, metadata: { resourceVersion: String(revision) } } });
  }

  /** An ERROR event, after which the API server closes the watch. */
  error(status: KubeStatus): void {
    this.#write({ type: 'ERROR', object: status });
    this.end();
  }

  /** Ends the response cleanly (a watch timing out on the server). */
  end(): void {
    if (!this.#ended) this.#response.end();
    this.#finish();
  }

  /** Cuts the connection without ending the response (a network failure, an API server crash). */
  reset(): void {
    this.#response.socket?.destroy();
    this.#finish();
  }

  #visible(object: KubeObject | undefined): boolean {
    if (object === undefined) return false;
    if (this.scope.namespace !== undefined && object.metadata.namespace !== this.scope.namespace) return false;
    return this.scope.selects(object);
  }

  #write(event: unknown): void {
    if (!this.#ended) this.#response.write(`${JSON.stringify(event)}\n`);
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#onEnd();
  }
}
