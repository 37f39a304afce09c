import { randomUUID } from 'node:crypto';
import { ConflictError, GoneError, NotFoundError } from './errors.js';
import { apiVersionOf, resourceName, type ServedResource } from './resources.js';
import type { KubeObject } from './selectors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as etcd's history keeps it: what the object became (for DELETED, its last state). */
export interface StoredEvent {
  readonly revision: number;
  readonly type: WatchEventType;
  /** `resourceName()` of the object's resource. */
  readonly resource: string;
  readonly key: string;
  readonly object: KubeObject;
  /** The object before the change; undefined for ADDED. */
  readonly previous: KubeObject | undefined;
}

/**
 * The stand-in's etcd: objects by resource, one revision counter shared by all of them
 * (so resourceVersions increase across kinds, as on a real cluster), and the history of
 * changes since the last compaction, from which watches resume and older states are listed.
 */
export class ObjectStore {
  #revision = 1;
  #compactedAt = 1;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  #history: StoredEvent[] = [];
  readonly #listeners = new Set<(event: StoredEvent) => void>();

  /** The newest resourceVersion. */
  get revision(): number {
    return this.#revision;
  }

  /** Versions before this one are compacted away: watching or listing from them is 410 Gone. */
  get compactedAt(): number {
    return this.#compactedAt;
  }

  create(resource: ServedResource, object: KubeObject): KubeObject {
    const key = keyOf(resource, object);
    if (this.#bucket(resource).has(key)) throw new ConflictError(`${resourceName(resource)} "${object.metadata.name}" already exists`);
    const stored = this.#stamp(resource, object, undefined);
    return this.#record(resource, 'ADDED', key, stored, undefined);
  }

  update(resource: ServedResource, object: KubeObject): KubeObject {
    const key = keyOf(resource, object);
    const previous = this.#bucket(resource).get(key);
    if (previous === undefined) throw new NotFoundError(`${resourceName(resource)} "${object.metadata.name}" not found`);
    return this.#record(resource, 'MODIFIED', key, this.#stamp(resource, object, previous), previous);
  }

  delete(resource: ServedResource, namespace: string, name: string): KubeObject {
    const key = resource.namespaced ? `${namespace}/${name}` : name;
    const previous = this.#bucket(resource).get(key);
    if (previous === undefined) throw new NotFoundError(`${resourceName(resource)} "${name}" not found`);
    const gone = structuredClone(previous);
    gone.metadata.resourceVersion = String(this.#revision + 1);
    return this.#record(resource, 'DELETED', key, gone, previous);
  }

  get(resource: ServedResource, namespace: string, name: string): KubeObject | undefined {
    return this.#bucket(resource).get(resource.namespaced ? `${namespace}/${name}` : name);
  }

  /** Forgets the history up to now, as etcd compaction does. */
  compact(): void {
    this.#compactedAt = this.#revision;
    this.#history = [];
  }

  /** The objects of `resource` as they were at `revision` (default: now), in key order (etcd's). */
  listAt(resource: ServedResource, revision = this.#revision): KubeObject[] {
    this.#checkNotCompacted(revision);
    const state = new Map(this.#bucket(resource));
    const name = resourceName(resource);
    // Undo, newest first, what happened after `revision`.
    for (let i = this.#history.length - 1; i >= 0 && this.#history[i]!.revision > revision; i--) {
      const event = this.#history[i]!;
      if (event.resource !== name) continue;
      if (event.previous === undefined) state.delete(event.key);
      else state.set(event.key, event.previous);
    }
    return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
  }

  /** The changes of `resource` after `revision`, oldest first; 410 Gone when they were compacted. */
  eventsAfter(resource: ServedResource, revision: number): StoredEvent[] {
    this.#checkNotCompacted(revision);
    const name = resourceName(resource);
    return this.#history.filter((event) => event.revision > revision && event.resource === name);
  }

  /** Calls `listener` with every change from now on; returns the function that stops it. */
  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #checkNotCompacted(revision: number): void {
    if (revision < this.#compactedAt) throw new GoneError(`too old resource version: ${revision} (${this.#compactedAt})`);
  }

  #bucket(resource: ServedResource): Map<string, KubeObject> {
    const name = resourceName(resource);
    let bucket = this.#objects.get(name);
    if (bucket === undefined) {
      bucket = new Map();
      this.#objects.set(name, bucket);
    }
    return bucket;
  }

  /** The object as the API server stores it: server-set metadata filled in, the rest as given. */
  #stamp(resource: ServedResource, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    const copy = structuredClone(object);
    const revision = this.#revision + 1;
    copy.apiVersion = apiVersionOf(resource.group, resource.versions[0]!);
    copy.kind = resource.kind;
    const before = previous?.metadata;
    const specChanged = previous === undefined || JSON.stringify(withoutMetaAndStatus(previous)) !== JSON.stringify(withoutMetaAndStatus(copy));
    copy.metadata = {
      ...copy.metadata,
      uid: (before?.['uid'] as string | undefined) ?? randomUUID(),
      resourceVersion: String(revision),
      generation: ((before?.['generation'] as number | undefined) ?? 0) + (specChanged ? 1 : 0),
      creationTimestamp: (before?.['creationTimestamp'] as string | undefined) ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      // What a client must not mistake for the object's content.
      managedFields: [{ manager: 'kube-stand-in', operation: 'Update', apiVersion: copy.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} }],
    };
    if (resource.namespaced) copy.metadata.namespace = object.metadata.namespace ?? 'default';
    else delete copy.metadata.namespace;
    return copy;
  }

  #record(resource: ServedResource, type: WatchEventType, key: string, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.#revision++;
    if (type === 'DELETED') this.#bucket(resource).delete(key);
    else this.#bucket(resource).set(key, object);
    const event: StoredEvent = { revision: this.#revision, type, resource: resourceName(resource), key, object, previous };
    this.#history.push(event);
    for (const listener of [...this.#listeners]) listener(event);
    return structuredClone(object);
  }
}

function keyOf(resource: ServedResource, object: KubeObject): string {
  return resource.namespaced ? `${object.metadata.namespace ?? 'default'}/${object.metadata.name}` : object.metadata.name;
}

function withoutMetaAndStatus(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}
