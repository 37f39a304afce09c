import type { MessageCodec } from '@ambit/xds';
import type { ResourceDelta, Translated } from './translated.js';
import { contentVersion } from './version.js';

/** Applies rebuilt resources to the current set, keeping only real changes (by version). */
export class DeltaCollector<T> {
  readonly #codec: MessageCodec<T>;
  readonly #current: Map<string, Translated<T>>;
  readonly #upserted: Translated<T>[] = [];
  readonly #removed: string[] = [];

  constructor(codec: MessageCodec<T>, current: Map<string, Translated<T>>) {
    this.#codec = codec;
    this.#current = current;
  }

  set(name: string, resource: T | undefined): void {
    const current = this.#current.get(name);
    if (resource === undefined) {
      if (current === undefined) return;
      this.#current.delete(name);
      this.#removed.push(name);
      return;
    }
    const version = contentVersion(this.#codec, name, resource);
    if (current?.version === version) return;
    const translated = { name, version, resource };
    this.#current.set(name, translated);
    this.#upserted.push(translated);
  }

  result(): ResourceDelta<T> {
    return { upserted: this.#upserted, removed: this.#removed };
  }
}

