import type { Resource } from '@ambit/config-model';
import type { ResourceChangeBatch } from './config-provider.js';
import { contentFingerprint } from './fingerprint.js';
import { keyOf, keyString, type ResourceKey } from './resource-key.js';

/** A resource with what the provider compares it by, computed once when it is read. */
export interface TrackedResource {
  readonly key: string;
  readonly resource: Resource;
  readonly fingerprint: string;
}

export function track(resource: Resource): TrackedResource {
  return { key: keyString(keyOf(resource)), resource, fingerprint: contentFingerprint(resource) };
}

/**
 * What the provider has published. Each update turns the next desired state into the
 * batch that leads there: only resources whose content changed are upserted, so a
 * resource that merely moved keeps the object (and source position) published first.
 */
export class PublishedResources {
  #current = new Map<string, TrackedResource>();

  update(next: ReadonlyMap<string, TrackedResource>): ResourceChangeBatch {
    const upserted: Resource[] = [];
    const removed: ResourceKey[] = [];
    const published = new Map<string, TrackedResource>();
    for (const [key, entry] of next) {
      const before = this.#current.get(key);
      if (before !== undefined && before.fingerprint === entry.fingerprint) {
        published.set(key, before);
      } else {
        published.set(key, entry);
        upserted.push(entry.resource);
      }
    }
    for (const [key, entry] of this.#current) {
      if (!next.has(key)) removed.push(keyOf(entry.resource));
    }
    this.#current = published;
    return { upserted, removed };
  }

  snapshot(): Resource[] {
    return [...this.#current.values()].map((entry) => entry.resource);
  }
}
