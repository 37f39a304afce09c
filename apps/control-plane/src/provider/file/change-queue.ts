/** What the next reconcile must look at. */
export interface PendingChanges {
  /** Paths events named: each is re-read (a file) or re-scanned (a directory). */
  readonly paths: ReadonlySet<string>;
  /** Everything must be re-scanned (files compared by signature). */
  readonly full: boolean;
}

/**
 * The paths that changed since the last reconcile. Bounded: past `maxPaths` distinct
 * paths, the list is dropped for one full rescan, which finds the same changes by
 * comparing file signatures.
 */
export class ChangeQueue {
  readonly #maxPaths: number;
  #paths = new Set<string>();
  #full = false;
  #overflowed = false;

  constructor(maxPaths: number) {
    this.#maxPaths = maxPaths;
  }

  add(path: string): void {
    if (this.#overflowed) return;
    this.#paths.add(path);
    if (this.#paths.size > this.#maxPaths) {
      this.#full = true;
      this.#overflowed = true;
      this.#paths.clear();
    }
  }

  requestFullScan(): void {
    this.#full = true;
  }

  /** Hands over what is pending and starts afresh; undefined when nothing is. */
  take(): PendingChanges | undefined {
    if (!this.#full && this.#paths.size === 0) return undefined;
    const pending = { paths: this.#paths, full: this.#full };
    this.#paths = new Set();
    this.#full = false;
    this.#overflowed = false;
    return pending;
  }
}
