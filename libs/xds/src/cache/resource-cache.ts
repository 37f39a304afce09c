import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import type { MessageCodec, MessageInit } from '../proto/codec.js';
import { Resource } from '../generated/envoy.service.discovery.v3.js';
import { InvalidResourceError, XdsOptionError } from '../errors.js';
import { frameResource } from '../server/response-encoder.js';
import { WILDCARD } from '../server/subscription-tracker.js';
import { ResourceTable, registerTable, type TableEntry } from './resource-table.js';

/** Resource names key maps on every stream; Kubernetes names and hostnames are far shorter. */
export const MAX_RESOURCE_NAME_LENGTH = 1024;
export const MAX_VERSION_LENGTH = 256;
/** One resource larger than this is a compiler bug, not config. */
export const DEFAULT_MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export interface VersionedResource<T> {
  readonly resource: MessageInit<T>;
  /**
   * Must change whenever the resource does. Default: a hash of its encoding, so that
   * re-applying an unchanged resource pushes nothing.
   */
  readonly version?: string;
}

export interface ResourceBatch<T> {
  readonly upserted?: Iterable<readonly [name: string, resource: VersionedResource<T>]>;
  readonly removed?: Iterable<string>;
}

/** What a batch actually changed (unchanged versions and unknown removals left out). */
export interface AppliedChanges {
  readonly upserted: readonly string[];
  readonly removed: readonly string[];
}

export interface ResourceCacheOptions {
  readonly maxResourceBytes?: number;
}

/**
 * The current resources of one type, as the xDS server serves them. The control plane
 * applies change batches; each resource version is validated and encoded once, here,
 * and every stream that tracks it is sent the same bytes. A batch is applied whole or
 * not at all. Do not mutate a resource object after handing it over.
 */
export class ResourceCache<T> {
  readonly typeUrl: string;
  readonly #codec: MessageCodec<T>;
  readonly #maxResourceBytes: number;
  readonly #table: ResourceTable;

  constructor(codec: MessageCodec<T>, options: ResourceCacheOptions = {}) {
    const maxResourceBytes = options.maxResourceBytes ?? DEFAULT_MAX_RESOURCE_BYTES;
    if (!Number.isSafeInteger(maxResourceBytes) || maxResourceBytes < 1) {
      throw new XdsOptionError('maxResourceBytes', maxResourceBytes, 'must be a positive integer');
    }
    this.typeUrl = codec.typeUrl;
    this.#codec = codec;
    this.#maxResourceBytes = maxResourceBytes;
    this.#table = new ResourceTable(codec.typeUrl);
    registerTable(this, this.#table);
  }

  get size(): number {
    return this.#table.entries.size;
  }

  get(name: string): { readonly version: string; readonly resource: MessageInit<T> } | undefined {
    const entry = this.#table.entries.get(name);
    return entry === undefined ? undefined : { version: entry.version, resource: entry.resource as MessageInit<T> };
  }

  names(): IterableIterator<string> {
    return this.#table.entries.keys();
  }

  /** Upserts and removes resources; throws `InvalidResourceError` and changes nothing when any is invalid. */
  apply(batch: ResourceBatch<T>): AppliedChanges {
    const removed = new Set(batch.removed ?? []);
    const upserts = new Map<string, TableEntry>();
    for (const [name, versioned] of batch.upserted ?? []) {
      this.#checkName(name);
      if (upserts.has(name)) throw new InvalidResourceError(this.typeUrl, name, 'appears twice in the batch');
      if (removed.has(name)) throw new InvalidResourceError(this.typeUrl, name, 'is both upserted and removed in the batch');
      upserts.set(name, this.#encode(name, versioned));
    }
    const changed: string[] = [];
    for (const [name, entry] of upserts) {
      if (this.#table.entries.get(name)?.version === entry.version) continue;
      this.#table.entries.set(name, entry);
      changed.push(name);
    }
    const gone = [...removed].filter((name) => this.#table.entries.delete(name));
    if (changed.length > 0 || gone.length > 0) this.#table.publish([...changed, ...gone]);
    return { upserted: changed, removed: gone };
  }

  /** Makes the cache hold exactly `resources`: upserts them and removes every other name. */
  replaceAll(resources: Iterable<readonly [name: string, resource: VersionedResource<T>]>): AppliedChanges {
    const upserted = [...resources];
    const keep = new Set(upserted.map(([name]) => name));
    return this.apply({ upserted, removed: [...this.#table.entries.keys()].filter((name) => !keep.has(name)) });
  }

  #checkName(name: string): void {
    if (typeof name !== 'string' || name === '') throw new InvalidResourceError(this.typeUrl, String(name), 'has an empty name');
    if (name === WILDCARD) throw new InvalidResourceError(this.typeUrl, name, 'is named "*", which xDS reserves for wildcard subscriptions');
    if (name.length > MAX_RESOURCE_NAME_LENGTH) {
      throw new InvalidResourceError(this.typeUrl, name, `has a name of ${name.length} characters, over the limit of ${MAX_RESOURCE_NAME_LENGTH}`);
    }
  }

  #encode(name: string, versioned: VersionedResource<T>): TableEntry {
    let message: Uint8Array;
    try {
      message = this.#codec.encode(versioned.resource);
    } catch (cause) {
      throw new InvalidResourceError(this.typeUrl, name, 'cannot be encoded', cause);
    }
    const version = versioned.version ?? contentVersion(message);
    if (version === '' || version.length > MAX_VERSION_LENGTH) {
      throw new InvalidResourceError(this.typeUrl, name, `has version ${JSON.stringify(version)}; versions are 1 to ${MAX_VERSION_LENGTH} characters`);
    }
    const field = frameResource(Resource.encode({ name, version, resource: { type_url: this.typeUrl, value: message } }));
    if (field.byteLength > this.#maxResourceBytes) {
      throw new InvalidResourceError(this.typeUrl, name, `encodes to ${field.byteLength} bytes, over the limit of ${this.#maxResourceBytes}`);
    }
    return { version, resource: versioned.resource, field, changedAt: performance.now() };
  }
}

/** 96 bits of SHA-256: collisions between two versions of one resource are out of reach. */
function contentVersion(message: Uint8Array): string {
  return createHash('sha256').update(message).digest('base64url').slice(0, 16);
}
