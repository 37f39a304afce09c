/**
 * The server's side of a `ResourceCache`: encoded entries and change listeners. Kept out
 * of the cache's public surface; the server reaches it through `tableOf`.
 */
export interface TableEntry {
  readonly version: string;
  /** The resource as the control plane gave it, for per-proxy filters. */
  readonly resource: unknown;
  /** The `Resource` message framed as a DeltaDiscoveryResponse field, shared by every stream. */
  readonly field: Uint8Array;
  /** When this version entered the cache (`performance.now()`), to measure how long it took to reach each proxy. */
  readonly changedAt: number;
}

export type TableListener = (names: readonly string[]) => void;

export class ResourceTable {
  readonly typeUrl: string;
  readonly entries = new Map<string, TableEntry>();
  readonly #listeners = new Set<TableListener>();

  constructor(typeUrl: string) {
    this.typeUrl = typeUrl;
  }

  get(name: string): TableEntry | undefined {
    return this.entries.get(name);
  }

  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Calls `listener` with the names of every later change; returns the unsubscribe function. */
  listen(listener: TableListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(names: readonly string[]): void {
    for (const listener of this.#listeners) listener(names);
  }
}

const tables = new WeakMap<object, ResourceTable>();

export function registerTable(cache: object, table: ResourceTable): void {
  tables.set(cache, table);
}

/** The table behind a `ResourceCache`. */
export function tableOf(cache: { readonly typeUrl: string }): ResourceTable {
  const table = tables.get(cache);
  if (table === undefined) throw new TypeError(`${cache.typeUrl}: not a ResourceCache`);
  return table;
}
