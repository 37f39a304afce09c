/**
 * Which outputs read which inputs, for incremental rebuilding: each root (a unit of
 * rebuilding) records the dependency keys it read when last built, and a batch asks
 * which roots read a key it touched.
 */
export class DependencyIndex {
  readonly #reads = new Map<string, ReadonlySet<string>>();
  readonly #readers = new Map<string, Set<string>>();

  /** Replaces what `root` read (nothing: forget it). */
  set(root: string, reads: ReadonlySet<string>): void {
    for (const dep of this.#reads.get(root) ?? []) {
      const readers = this.#readers.get(dep);
      readers?.delete(root);
      if (readers?.size === 0) this.#readers.delete(dep);
    }
    if (reads.size === 0) {
      this.#reads.delete(root);
      return;
    }
    this.#reads.set(root, reads);
    for (const dep of reads) {
      let readers = this.#readers.get(dep);
      if (readers === undefined) this.#readers.set(dep, (readers = new Set()));
      readers.add(root);
    }
  }

  /** The roots that read `dep`. */
  readersOf(dep: string): Iterable<string> {
    return this.#readers.get(dep) ?? [];
  }
}
