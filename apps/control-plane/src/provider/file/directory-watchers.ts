import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { isWithin } from './path-order.js';

interface Watched {
  readonly watcher: FSWatcher;
  readonly inode: bigint;
}

/**
 * One non-recursive fs.watch per directory of the tree. Not `recursive: true`: on Linux,
 * Node 20 emulates it by watching every file's inode, so after an editor saves by
 * renaming a new file over the old one, later in-place writes to that file raise no
 * event at all. A directory watch reports every child by name, whatever its inode.
 *
 * Events are only hints — a path to look at again — so their kind and any duplicates
 * do not matter; the scan that follows decides what changed.
 */
export class DirectoryWatchers {
  readonly #watched = new Map<string, Watched>();
  readonly #onChange: (path: string) => void;
  readonly #onFailure: (error: unknown) => void;

  /**
   * @param onChange a path at or under a watched directory may have changed
   * @param onFailure watching cannot go on (no inotify watches left, too many open files, …)
   */
  constructor(onChange: (path: string) => void, onFailure: (error: unknown) => void) {
    this.#onChange = onChange;
    this.#onFailure = onFailure;
  }

  /**
   * Watches `dir`. A directory replaced by another at the same path (a new inode, as
   * after `mv new old`) is watched afresh: the old watch would follow the moved inode.
   * Returns whether a new watch was placed.
   */
  add(dir: string, inode: bigint): boolean {
    const existing = this.#watched.get(dir);
    if (existing?.inode === inode) return false;
    existing?.watcher.close();
    this.#watched.delete(dir);
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: true }, (_event, filename) => this.#changed(dir, filename));
    } catch (error) {
      // Gone again already: the event on its parent brings the scan that notices.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.#onFailure(error);
      return false;
    }
    watcher.on('error', (error: NodeJS.ErrnoException) => this.#failed(dir, watcher, error));
    this.#watched.set(dir, { watcher, inode });
    return true;
  }

  /** Stops watching the directories at or under `scope` that `keep` rejects (they are gone). */
  retainWithin(scope: string, keep: (dir: string) => boolean): void {
    for (const [dir, { watcher }] of this.#watched) {
      if (isWithin(dir, scope) && !keep(dir)) {
        watcher.close();
        this.#watched.delete(dir);
      }
    }
  }

  close(): void {
    for (const { watcher } of this.#watched.values()) watcher.close();
    this.#watched.clear();
  }

  #failed(dir: string, watcher: FSWatcher, error: NodeJS.ErrnoException): void {
    watcher.close();
    if (this.#watched.get(dir)?.watcher === watcher) this.#watched.delete(dir);
    // Some platforms (Windows) end a watch with EPERM when its directory is deleted: that is
    // a change to look at, not a reason to stop watching the rest.
    if (error.code === 'EPERM' || error.code === 'ENOENT') this.#onChange(dir);
    else this.#onFailure(error);
  }

  #changed(dir: string, filename: string | null): void {
    if (filename === null) {
      this.#onChange(dir);
      return;
    }
    this.#onChange(join(dir, filename));
    // Events about the directory itself (deleted, moved) carry its own name, which
    // reads like a child of that name: look at the directory too.
    if (filename === basename(dir)) this.#onChange(dir);
  }
}
