import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeApiClient } from './api-client.js';
import { channels, publish, type KindFailedEvent } from './channels.js';
import { KubeApiError } from './errors.js';
import { listAll } from './paged-list.js';
import { collectionPath, resourceOf, type WatchedKind } from './watched-kinds.js';

/** Where a kind's informer stands. */
export type KindState =
  /** Not listed yet. */
  | 'starting'
  /** Listed, and watching (or about to watch again). */
  | 'synced'
  /** A CRD's kind the API server does not serve: skipped, and listed again now and then. */
  | 'not-installed'
  /** The last list or watch failed; retried after a pause. */
  | 'failing';

export interface KindStatus {
  /** `<plural>.<group>`. */
  readonly resource: string;
  readonly apiVersion: string;
  readonly state: KindState;
  /** The resourceVersion the next watch resumes from; '' before the first list (or after a 410). */
  readonly resourceVersion: string;
  /** How many times the kind was listed in full: 1 in a steady state, more after each 410. */
  readonly lists: number;
  readonly lastError: string | undefined;
  readonly lastErrorAt: Date | undefined;
}

export interface KindInformerTiming {
  readonly pageSize: number;
  readonly maxPageBytes: number;
  /** First pause after a failure; doubled at each failure in a row, up to `retryMaxMs`. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** The server ends each watch after about this long, and the informer watches again. */
  readonly watchTimeoutSeconds: number;
}

export interface KindEvents {
  upsert(kind: WatchedKind, object: KubernetesObject): void;
  remove(kind: WatchedKind, object: KubernetesObject): void;
}

/**
 * One kind's list/watch, on client-node's ListWatch: list (paged, by us), then watch
 * from the list's resourceVersion; a watch the server ends is resumed from the last
 * resourceVersion seen (events and bookmarks advance it) without listing again; a 410
 * Gone makes ListWatch list again, and the objects missing from the new list are
 * reported deleted. ListWatch stops at any other error: this class starts it again after
 * a growing pause, so one kind's trouble never stops the others.
 */
export class KindInformer {
  readonly kind: WatchedKind;
  readonly #informer: ListWatch<KubernetesObject>;
  readonly #timing: KindInformerTiming;
  readonly #abort = new AbortController();
  readonly #watch: ClosableWatch;
  #state: KindState = 'starting';
  #settled!: () => void;
  /** Resolves once the kind has been listed, or found not installed. */
  readonly settled: Promise<void>;
  #lists = 0;
  #failures = 0;
  /** Every failure so far, to tell whether an attempt went through. */
  #errors = 0;
  #lastError: string | undefined;
  #lastErrorAt: Date | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(kind: WatchedKind, config: KubeConfig, api: KubeApiClient, events: KindEvents, timing: KindInformerTiming) {
    this.kind = kind;
    this.#timing = timing;
    this.settled = new Promise((resolve) => (this.#settled = resolve));
    // ListWatch sends only resourceVersion and the selectors; the rest of the watch's query rides on the path.
    const watchPath = `${collectionPath(kind)}?${new URLSearchParams({ allowWatchBookmarks: 'true', timeoutSeconds: String(timing.watchTimeoutSeconds) })}`;
    const list = async () => {
      const result = await listAll(api, kind, { pageSize: timing.pageSize, maxPageBytes: timing.maxPageBytes, signal: this.#abort.signal });
      // ListWatch applies the list (adds, updates, deletions) synchronously once this
      // resolves; the kind counts as listed after that, on the next turn.
      setImmediate(() => this.#listed());
      return result;
    };
    this.#informer = new ListWatch(watchPath, this.#watch = new ClosableWatch(config), list, false, undefined, kind.fieldSelector);
    this.#informer.on('add', (object) => this.#event(() => events.upsert(kind, object)));
    this.#informer.on('update', (object) => this.#event(() => events.upsert(kind, object)));
    this.#informer.on('delete', (object) => this.#event(() => events.remove(kind, object)));
    this.#informer.on('error', (error: unknown) => this.#failed(error));
  }

  /** Starts listing; resolves after the first attempt (listed and watching, or failed and retrying). */
  async start(): Promise<void> {
    const errorsBefore = this.#errors;
    await this.#informer.start().catch((error: unknown) => this.#failed(error));
    // ListWatch resolves once the watch is open, having reported any failure on the way.
    if (!this.#closed && this.#errors === errorsBefore && this.#lists > 0) this.#state = 'synced';
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#abort.abort();
    this.#watch.close();
    void this.#informer.stop();
  }

  status(): KindStatus {
    return {
      resource: resourceOf(this.kind),
      apiVersion: this.kind.group === '' ? this.kind.version : `${this.kind.group}/${this.kind.version}`,
      state: this.#state,
      resourceVersion: this.#informer.latestResourceVersion(),
      lists: this.#lists,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
    };
  }

  #event(apply: () => void): void {
    if (this.#closed) return;
    this.#failures = 0;
    apply();
  }

  #listed(): void {
    if (this.#closed) return;
    this.#lists++;
    this.#failures = 0;
    this.#state = 'synced';
    this.#settled();
  }

  #failed(error: unknown): void {
    // Stopping aborts the request in flight, which ListWatch reports as an error.
    if (this.#closed) return;
    this.#errors++;
    const notInstalled = this.kind.crd && error instanceof KubeApiError && error.status === 404;
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.#lastErrorAt = new Date();
    // A kind that was listed keeps its objects in force while it fails; it is no longer 'synced'.
    this.#state = notInstalled ? 'not-installed' : 'failing';
    if (notInstalled) this.#settled();
    const step = Math.min(this.#timing.retryMaxMs, this.#timing.retryInitialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    // Up to half the step is random, so that informers failing together do not retry in lockstep.
    const retryInMs = notInstalled ? this.#timing.retryMaxMs : Math.round(step / 2 + (Math.random() * step) / 2);
    publish(channels.kindFailed, { resource: resourceOf(this.kind), notInstalled, retryInMs, error } satisfies KindFailedEvent);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.start(), retryInMs);
  }
}

/**
 * client-node's Watch, closable for good. ListWatch.stop() aborts only the watch it
 * already holds; one still connecting (a retry, or ListWatch resuming after the server
 * ended a watch) would otherwise open after the stop and stay open.
 */
class ClosableWatch extends Watch {
  readonly #open = new Set<AbortController>();
  #closed = false;

  override async watch(...[path, queryParams, callback, done]: Parameters<Watch['watch']>): Promise<AbortController> {
    // `done` may come before super.watch() returns (a request that failed at once).
    let finished = false;
    let held: AbortController | undefined;
    const controller = await super.watch(path, queryParams, callback, (error) => {
      finished = true;
      if (held !== undefined) this.#open.delete(held);
      done(error);
    });
    if (this.#closed) controller.abort();
    else if (!finished) {
      held = controller;
      this.#open.add(controller);
    }
    return controller;
  }

  close(): void {
    this.#closed = true;
    for (const controller of this.#open) controller.abort();
    this.#open.clear();
  }
}
