import {
  ADDRESS_TYPE_URL,
  AUTHORIZATION_TYPE_URL,
  CLUSTER_TYPE_URL,
  l7V1,
  LISTENER_TYPE_URL,
  ResourceCache,
  ROUTE_TABLE_TYPE_URL,
  securityV1,
  workloadV1,
  type AppliedChanges,
  type ResourceBatch,
} from '@ambit/xds';
import type { ResourceDelta, Translation, TranslationDelta } from '../translator/index.js';

/**
 * The served types, in the order batches are applied and dumps are listed: clusters
 * before the route tables that name them, route tables before the listeners that name
 * them (a proxy that applies resources in arrival order never routes to an unknown name).
 */
export const SERVED_TYPE_URLS = Object.freeze([ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL, CLUSTER_TYPE_URL, ROUTE_TABLE_TYPE_URL, LISTENER_TYPE_URL] as const);

/** One served resource as the caches hold it. */
export interface CachedResource {
  readonly name: string;
  readonly version: string;
  readonly resource: unknown;
}

/** What one batch changed, per type URL (types it left alone are absent). */
export type AppliedByType = ReadonlyMap<string, AppliedChanges>;

interface Step {
  readonly cache: ResourceCache<unknown>;
  readonly batch: { readonly upserted: [string, { version: string; resource: unknown }][]; readonly removed: string[] };
}

/**
 * The xDS server's resources: one ResourceCache per served type. A batch goes into
 * every cache or into none: each cache applies its part whole or not at all, and when a
 * later cache refuses its part, the caches already changed are put back (synchronously,
 * before the server flushes anything to a proxy).
 */
export class XdsCaches {
  readonly addresses = new ResourceCache(workloadV1.Address);
  readonly authorizations = new ResourceCache(securityV1.Authorization);
  readonly clusters = new ResourceCache(l7V1.Cluster);
  readonly routeTables = new ResourceCache(l7V1.RouteTable);
  readonly listeners = new ResourceCache(l7V1.Listener);

  /** Every cache, for the server, in SERVED_TYPE_URLS order. */
  get all(): readonly ResourceCache<unknown>[] {
    return [this.addresses, this.authorizations, this.clusters, this.routeTables, this.listeners] as readonly ResourceCache<unknown>[];
  }

  /** Applies the translator's delta of one batch. */
  applyDelta(delta: TranslationDelta): AppliedByType {
    return this.#applyAll([
      step(this.addresses, delta.addresses),
      step(this.authorizations, delta.authorizations),
      step(this.clusters, delta.clusters),
      step(this.routeTables, delta.routeTables),
      step(this.listeners, delta.listeners),
    ]);
  }

  /** Makes the caches hold exactly `translation` (after a resynchronisation). */
  replaceAll(translation: Translation): AppliedByType {
    const replacing = <T>(cache: ResourceCache<T>, upserted: ResourceDelta<T>['upserted']): Step => {
      const keep = new Set(upserted.map((t) => t.name));
      return step(cache, { upserted, removed: [...cache.names()].filter((name) => !keep.has(name)) });
    };
    return this.#applyAll([
      replacing(this.addresses, translation.addresses),
      replacing(this.authorizations, translation.authorizations),
      replacing(this.clusters, translation.clusters),
      replacing(this.routeTables, translation.routeTables),
      replacing(this.listeners, translation.listeners),
    ]);
  }

  /** Every resource of `typeUrl`, sorted by name. */
  list(typeUrl: string): CachedResource[] {
    const cache = this.all.find((c) => c.typeUrl === typeUrl);
    if (cache === undefined) return [];
    return [...cache.names()].sort().map((name) => {
      const entry = cache.get(name)!;
      return { name, version: entry.version, resource: entry.resource };
    });
  }

  size(typeUrl: string): number {
    return this.all.find((c) => c.typeUrl === typeUrl)?.size ?? 0;
  }

  #applyAll(steps: readonly Step[]): AppliedByType {
    const applied = new Map<string, AppliedChanges>();
    const undo: { cache: ResourceCache<unknown>; batch: ResourceBatch<unknown> }[] = [];
    try {
      for (const { cache, batch } of steps) {
        if (batch.upserted.length === 0 && batch.removed.length === 0) continue;
        const restore = undoOf(cache, batch);
        const changes = cache.apply(batch);
        undo.push({ cache, batch: restore });
        if (changes.upserted.length > 0 || changes.removed.length > 0) applied.set(cache.typeUrl, changes);
      }
    } catch (error) {
      // What was there before was accepted before, so putting it back cannot fail.
      for (const { cache, batch } of undo.reverse()) cache.apply(batch);
      throw error;
    }
    return applied;
  }
}

function step<T>(cache: ResourceCache<T>, delta: ResourceDelta<T>): Step {
  return {
    cache: cache as ResourceCache<unknown>,
    batch: { upserted: delta.upserted.map((t) => [t.name, { version: t.version, resource: t.resource }]), removed: [...delta.removed] },
  };
}

/** The batch that returns every name `batch` touches to its current state. */
function undoOf(cache: ResourceCache<unknown>, batch: Step['batch']): ResourceBatch<unknown> {
  const upserted: [string, { version: string; resource: unknown }][] = [];
  const removed: string[] = [];
  for (const name of [...batch.upserted.map(([n]) => n), ...batch.removed]) {
    const before = cache.get(name);
    if (before === undefined) removed.push(name);
    else upserted.push([name, { version: before.version, resource: before.resource }]);
  }
  return { upserted, removed };
}
