import type { Resource } from '@ambit/config-model';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { StageClosedError } from '../../runner.js';
import type { ChangeListener, ConfigProvider } from '../config-provider.js';
import { Debouncer } from '../file/debouncer.js';
import { ListenerSet } from '../listener-set.js';
import { PublishedResources } from '../published-resources.js';
import { keyString } from '../resource-key.js';
import { KubeApiClient } from './api-client.js';
import { channels, publish, type KubernetesProviderErrorEvent, type ObjectRejectedEvent } from './channels.js';
import { KubernetesProviderOptionError, KubernetesSyncError } from './errors.js';
import { KindInformer, type KindStatus } from './kind-informer.js';
import { loadKubeConfig } from './kubeconfig.js';
import { ObjectSet, type ObjectStatus } from './object-set.js';
import { toResource } from './to-resource.js';
import { WATCHED_KINDS, type WatchedKind } from './watched-kinds.js';

export interface KubernetesProviderOptions {
  /** A kubeconfig file; null or absent: in-cluster, then $KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig?: string | null;
  /** Quiet time that ends a burst of changes (default 100 ms). */
  readonly debounceMs?: number;
  /** Longest a change waits while changes keep coming (default 500 ms). */
  readonly maxDelayMs?: number;
  /** Objects per list page (default 500, as client-go). */
  readonly pageSize?: number;
  /** Largest list page read, in bytes (default 64 MiB). */
  readonly maxPageBytes?: number;
  /** First pause before listing or watching a failed kind again (default 500 ms); doubles up to `retryMaxMs`. */
  readonly retryInitialMs?: number;
  /** Longest pause between attempts, and how often a missing CRD is looked for again (default 30 s). */
  readonly retryMaxMs?: number;
  /** How long the server keeps one watch open before the informer starts the next (default 300 s). */
  readonly watchTimeoutSeconds?: number;
  /** How long start() waits for every kind to be listed (default 25 s, within the stage's 30 s). */
  readonly syncTimeoutMs?: number;
}

export interface KubernetesProviderStatus {
  readonly provider: 'kubernetes';
  /** The API server's URL; undefined before start. */
  readonly server: string | undefined;
  /** Every watched kind, in start order. */
  readonly kinds: readonly KindStatus[];
  /** Objects whose latest version has issues (errors first). */
  readonly objects: readonly ObjectStatus[];
}

/**
 * The mesh's resources from the Kubernetes API: one informer per watched kind (see
 * WATCHED_KINDS), started in order; start() resolves once every kind has been listed
 * (or found not installed), so the first snapshot is the whole cluster, never a part.
 *
 * Each object is validated by config-model on its own: an invalid version keeps the last
 * good one in force and is reported in status(). Changes are coalesced over a short quiet
 * time and published as one batch; only resources whose content changed are published.
 */
export class KubernetesProvider implements ConfigProvider {
  readonly name = 'kubernetes-provider';
  readonly #options: Required<Omit<KubernetesProviderOptions, 'kubeconfig'>>;
  readonly #kubeconfig: string | null;
  readonly #objects = new ObjectSet();
  readonly #published = new PublishedResources();
  readonly #listeners: ListenerSet;
  readonly #debouncer: Debouncer;
  #informers: KindInformer[] = [];
  #server: string | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #ready = false;
  /** Resolves when close() is called, so that a start still waiting for its lists ends at once. */
  readonly #closed: Promise<'closed'>;
  #markClosed!: () => void;

  constructor(options: KubernetesProviderOptions = {}) {
    this.#kubeconfig = options.kubeconfig ?? null;
    this.#closed = new Promise((resolve) => (this.#markClosed = () => resolve('closed')));
    this.#options = {
      debounceMs: checkedCount('debounceMs', options.debounceMs ?? 100, 0),
      maxDelayMs: checkedCount('maxDelayMs', options.maxDelayMs ?? 500, 0),
      pageSize: checkedCount('pageSize', options.pageSize ?? 500, 1),
      maxPageBytes: checkedCount('maxPageBytes', options.maxPageBytes ?? 64 * 1024 * 1024, 1024),
      retryInitialMs: checkedCount('retryInitialMs', options.retryInitialMs ?? 500, 1),
      retryMaxMs: checkedCount('retryMaxMs', options.retryMaxMs ?? 30_000, 1),
      watchTimeoutSeconds: checkedCount('watchTimeoutSeconds', options.watchTimeoutSeconds ?? 300, 1),
      syncTimeoutMs: checkedCount('syncTimeoutMs', options.syncTimeoutMs ?? 25_000, 1),
    };
    this.#listeners = new ListenerSet((error) => publish(channels.listenerFailed, { error } satisfies KubernetesProviderErrorEvent));
    this.#debouncer = new Debouncer(() => this.#publish(), { quietMs: this.#options.debounceMs, maxDelayMs: this.#options.maxDelayMs });
  }

  /** Lists every watched kind and starts watching; rejects with KubeconfigError or KubernetesSyncError. */
  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#start();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  snapshot(): readonly Resource[] {
    return this.#published.snapshot();
  }

  status(): KubernetesProviderStatus {
    return { provider: 'kubernetes', server: this.#server, kinds: this.#informers.map((informer) => informer.status()), objects: this.#objects.problems() };
  }

  async #start(): Promise<void> {
    const config = loadKubeConfig(this.#kubeconfig);
    const api = new KubeApiClient(config);
    this.#server = api.server;
    try {
      for (const kind of WATCHED_KINDS) {
        if (this.#closing !== undefined) break;
        const informer = this.#informer(kind, config, api);
        this.#informers.push(informer);
        await informer.start();
      }
      await this.#allSettled();
    } catch (error) {
      this.#stop();
      throw error;
    }
    this.#ready = true;
    this.#publish();
  }

  #informer(kind: WatchedKind, config: KubeConfig, api: KubeApiClient): KindInformer {
    return new KindInformer(
      kind,
      config,
      api,
      {
        upsert: (k, object) => this.#upsert(k, object),
        remove: (k, object) => {
          this.#objects.delete(objectKey(k, object));
          this.#changed();
        },
      },
      this.#options,
    );
  }

  async #allSettled(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#options.syncTimeoutMs)));
    const settled = Promise.all(this.#informers.map((i) => i.settled)).then(() => 'settled' as const);
    const outcome = await Promise.race([settled, timedOut, this.#closed]).finally(() => clearTimeout(timer));
    if (this.#closing !== undefined) throw new StageClosedError(this.name);
    if (outcome === 'timeout') {
      const pending = this.#informers.map((i) => i.status()).filter((s) => s.state === 'starting' || s.state === 'failing');
      throw new KubernetesSyncError(this.#options.syncTimeoutMs, pending.map((s) => `${s.resource}: ${s.lastError ?? 'no answer yet'}`));
    }
  }

  #upsert(kind: WatchedKind, object: KubernetesObject): void {
    const result = toResource(kind, object);
    const name = describeObject(kind, object);
    const outcome = this.#objects.record(objectKey(kind, object), name, result, new Date());
    if (!outcome.applied) publish(channels.objectRejected, { object: name, keptPrevious: outcome.keptPrevious, issues: result.issues } satisfies ObjectRejectedEvent);
    this.#changed();
  }

  #changed(): void {
    // Before start() has listed everything, changes wait for the first publish.
    if (this.#ready) this.#debouncer.poke();
  }

  #publish(): void {
    if (this.#closing !== undefined) return;
    const batch = this.#published.update(this.#objects.inForce());
    if (batch.upserted.length > 0 || batch.removed.length > 0) this.#listeners.emit(batch);
  }

  #stop(): void {
    this.#debouncer.cancel();
    for (const informer of this.#informers) informer.close();
  }

  async #shutdown(): Promise<void> {
    this.#markClosed();
    this.#stop();
    this.#listeners.clear();
    await this.#starting?.catch(() => undefined);
  }
}

/** The ObjectSet key: the resource key config-model's resources have, from the raw object. */
function objectKey(kind: WatchedKind, object: KubernetesObject): string {
  return keyString({ group: kind.group, kind: kind.kind, namespace: kind.namespaced ? (object.metadata?.namespace ?? '') : '', name: object.metadata?.name ?? '' });
}

function describeObject(kind: WatchedKind, object: KubernetesObject): string {
  const name = object.metadata?.name ?? '';
  return kind.namespaced ? `${kind.kind} ${object.metadata?.namespace ?? ''}/${name}` : `${kind.kind} ${name}`;
}

function checkedCount(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new KubernetesProviderOptionError(option, value, `an integer of at least ${min}`);
  return value;
}
