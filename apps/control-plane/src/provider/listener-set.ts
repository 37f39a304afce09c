import type { ChangeListener, ResourceChangeBatch } from './config-provider.js';

/**
 * Delivers batches to every listener. A listener that throws is reported and the
 * others still get the batch: one broken consumer must not stop config reaching the rest.
 */
export class ListenerSet {
  readonly #listeners = new Set<ChangeListener>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  add(listener: ChangeListener): () => void {
    // A wrapper per subscription, so that subscribing the same function twice is two subscriptions.
    const entry: ChangeListener = (batch) => listener(batch);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(batch: ResourceChangeBatch): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
