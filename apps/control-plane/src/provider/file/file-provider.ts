import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IssueCode, type ConfigIssue, type Resource } from '@ambit/config-model';
import { StageClosedError } from '../../runner.js';
import type { ChangeListener, ConfigProvider } from '../config-provider.js';
import { ListenerSet } from '../listener-set.js';
import { PublishedResources } from '../published-resources.js';
import { ChangeQueue, type PendingChanges } from './change-queue.js';
import { channels, type FileLoadedEvent, type PollingEvent, type ProviderErrorEvent } from './channels.js';
import { Debouncer } from './debouncer.js';
import { DirectoryWatchers } from './directory-watchers.js';
import { ConfigDirectoryError, describeFsError, FileProviderOptionError } from './errors.js';
import { FileSet, type FileStatus } from './file-set.js';
import { parseConfigFile, readConfigFile } from './load-file.js';
import { LocalAddresses } from './local-addresses.js';
import { comparePaths, isWithin, outermost } from './path-order.js';
import { scanTree, type ScannedFile } from './scan.js';

export interface FileProviderOptions {
  /** The config directory; read recursively (*.yaml, *.yml, *.json). */
  readonly directory: string;
  /** Namespace of namespaced resources that name none (default `default`, as kubectl assumes). */
  readonly defaultNamespace?: string;
  /** Watch the directory (default); false rescans it every `pollIntervalMs` instead. */
  readonly watch?: boolean;
  /** Quiet time that ends a burst of file events (default 100 ms). */
  readonly debounceMs?: number;
  /** Longest a change waits while events keep coming (default 500 ms). */
  readonly maxDelayMs?: number;
  /** Rescan period when not watching (default 500 ms, so that a change still applies within a second). */
  readonly pollIntervalMs?: number;
  /** Largest file read (default config-model's 16 MiB); a larger one is an issue. */
  readonly maxFileBytes?: number;
  /** Changed paths remembered between reloads before falling back to one full rescan (default 1024). */
  readonly maxPendingPaths?: number;
  /** How long close() waits for a reload in progress (default 5000 ms). */
  readonly closeTimeoutMs?: number;
}

export interface FileProviderStatus {
  /** The config directory (absolute). */
  readonly directory: string;
  /** How changes are noticed: file system events, or periodic rescans. */
  readonly mode: 'watch' | 'poll';
  /** Directories that cannot be read, the config directory itself included. */
  readonly issues: readonly ConfigIssue[];
  /** Every config file, in path order. */
  readonly files: readonly FileStatus[];
}

type Probe = { readonly ok: true; readonly inode: bigint } | { readonly ok: false; readonly reason: string; readonly error?: unknown };

/**
 * The embedded default provider: the mesh's resources from a directory of YAML.
 *
 * Each file is parsed on its own and is all or nothing: while it has an error, its last
 * good resources stay in force and the file's status carries the issues. Changes are
 * noticed by directory watches (or periodic rescans where watching is unavailable),
 * coalesced over a short quiet time, and applied by re-reading only what changed; only
 * resources whose content changed are published. This is local mode's provider, so what
 * it publishes carries local mode's addresses (a VIP for each Service without a cluster
 * IP, see LocalAddresses).
 */
export class FileProvider implements ConfigProvider {
  readonly name = 'file-provider';
  readonly directory: string;
  readonly #options: Required<Omit<FileProviderOptions, 'directory' | 'maxFileBytes'>> & { readonly maxFileBytes: number | undefined };
  readonly #files = new FileSet();
  readonly #published = new PublishedResources();
  readonly #localAddresses = new LocalAddresses();
  readonly #listeners: ListenerSet;
  readonly #queue: ChangeQueue;
  readonly #debouncer: Debouncer;
  /** Directories inside the tree that cannot be listed, by path. */
  readonly #directoryIssues = new Map<string, ConfigIssue>();
  /** Set while the config directory itself is gone or unreadable. */
  #directoryGoneIssue: ConfigIssue | undefined;
  #watchers: DirectoryWatchers | undefined;
  /** Watching failed for good (no inotify watches left, …): stay with polling. */
  #watchFailed = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #starting: Promise<void> | undefined;
  #ready = false;
  #closing: Promise<void> | undefined;
  #reloading: Promise<void> | undefined;
  #reloadAgain = false;

  constructor(options: FileProviderOptions) {
    if (typeof options.directory !== 'string' || options.directory.trim() === '') {
      throw new FileProviderOptionError('directory', options.directory, 'a directory path');
    }
    this.directory = resolve(options.directory);
    this.#options = {
      defaultNamespace: options.defaultNamespace ?? 'default',
      watch: options.watch ?? true,
      debounceMs: checkedCount('debounceMs', options.debounceMs ?? 100, 0),
      maxDelayMs: checkedCount('maxDelayMs', options.maxDelayMs ?? 500, 0),
      pollIntervalMs: checkedCount('pollIntervalMs', options.pollIntervalMs ?? 500, 1),
      maxFileBytes: options.maxFileBytes === undefined ? undefined : checkedCount('maxFileBytes', options.maxFileBytes, 1),
      maxPendingPaths: checkedCount('maxPendingPaths', options.maxPendingPaths ?? 1024, 1),
      closeTimeoutMs: checkedCount('closeTimeoutMs', options.closeTimeoutMs ?? 5000, 0),
    };
    this.#listeners = new ListenerSet((error) => publish(channels.listenerFailed, { directory: this.directory, error } satisfies ProviderErrorEvent));
    this.#queue = new ChangeQueue(this.#options.maxPendingPaths);
    this.#debouncer = new Debouncer(() => this.#reloadSoon(), { quietMs: this.#options.debounceMs, maxDelayMs: this.#options.maxDelayMs });
  }

  /** Loads the whole directory and starts noticing changes; rejects with ConfigDirectoryError if it cannot be read. */
  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#initialLoad();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  snapshot(): readonly Resource[] {
    return this.#published.snapshot();
  }

  status(): FileProviderStatus {
    return {
      directory: this.directory,
      mode: this.#pollTimer === undefined ? 'watch' : 'poll',
      issues: [
        ...(this.#directoryGoneIssue === undefined ? [] : [this.#directoryGoneIssue]),
        ...[...this.#directoryIssues.values()].sort((a, b) => comparePaths(a.position.file, b.position.file)),
      ],
      files: this.#files.status(),
    };
  }

  async #initialLoad(): Promise<void> {
    try {
      await this.#loadAll();
    } catch (error) {
      this.#stopNoticing();
      throw error;
    }
    this.#ready = true;
    // Events that came during the load were queued; handle them now.
    this.#debouncer.poke();
  }

  async #loadAll(): Promise<void> {
    const probe = await probeDirectory(this.directory);
    if (!probe.ok) throw new ConfigDirectoryError(this.directory, probe.reason, probe.error);
    if (this.#options.watch) this.#watchers = this.#newWatchers();
    else this.#startPolling('watching is turned off');
    // Directories are watched as the scan reaches them, before their entries are read,
    // so that nothing written during the load goes unnoticed.
    const scan = await scanTree(this.directory, { followLink: true, onDirectory: (dir, inode) => this.#watchers?.add(dir, inode) });
    const unreadable = scan.unreadable[0];
    if (unreadable !== undefined) {
      throw new ConfigDirectoryError(unreadable.path, `cannot be read: ${describeFsError(unreadable.error)}`, unreadable.error);
    }
    for (const file of scan.files) {
      if (this.#closing !== undefined) break;
      await this.#load(file);
    }
    if (this.#closing !== undefined) throw new StageClosedError(this.name);
    this.#publish();
  }

  async #shutdown(): Promise<void> {
    this.#stopNoticing();
    this.#listeners.clear();
    // A reload in progress stops at its next step; a read hanging on a dead file system
    // is not waited for beyond the deadline (its result is never published).
    const inFlight = [this.#starting, this.#reloading].filter((p) => p !== undefined);
    await settledWithin(Promise.allSettled(inFlight), this.#options.closeTimeoutMs);
  }

  #stopNoticing(): void {
    this.#debouncer.cancel();
    this.#watchers?.close();
    this.#watchers = undefined;
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #newWatchers(): DirectoryWatchers {
    return new DirectoryWatchers(
      (path) => {
        this.#queue.add(path);
        this.#debouncer.poke();
      },
      (error) => {
        this.#watchFailed = true;
        this.#watchers?.close();
        this.#watchers = undefined;
        this.#startPolling(`watching failed: ${describeFsError(error)}`, error);
      },
    );
  }

  #startPolling(reason: string, cause?: unknown): void {
    if (this.#pollTimer !== undefined || this.#closing !== undefined) return;
    publish(channels.polling, { directory: this.directory, reason, cause } satisfies PollingEvent);
    this.#pollTimer = setInterval(() => {
      this.#queue.requestFullScan();
      this.#debouncer.poke();
    }, this.#options.pollIntervalMs);
  }

  #reloadSoon(): void {
    if (!this.#ready || this.#closing !== undefined) return;
    if (this.#reloading !== undefined) {
      this.#reloadAgain = true;
      return;
    }
    this.#reloading = this.#reloadPending().finally(() => {
      this.#reloading = undefined;
    });
  }

  async #reloadPending(): Promise<void> {
    do {
      this.#reloadAgain = false;
      const pending = this.#queue.take();
      if (pending === undefined) continue;
      try {
        await this.#reload(pending);
      } catch (error) {
        publish(channels.reloadFailed, { directory: this.directory, error } satisfies ProviderErrorEvent);
      }
    } while (this.#reloadAgain && this.#closing === undefined);
  }

  async #reload(pending: PendingChanges): Promise<void> {
    const probe = await probeDirectory(this.directory);
    if (!probe.ok) {
      this.#directoryGone(probe.reason);
      return;
    }
    let full = pending.full;
    if (this.#directoryGoneIssue !== undefined) {
      this.#directoryGoneIssue = undefined;
      full = true;
      if (this.#options.watch && !this.#watchFailed) {
        clearInterval(this.#pollTimer);
        this.#pollTimer = undefined;
        this.#watchers = this.#newWatchers();
      }
    }
    // A config directory replaced by another (`mv new config`) is watched afresh, and all of it read.
    if (this.#watchers?.add(this.directory, probe.inode) === true) full = true;
    for (const scope of full ? [this.directory] : outermost(pending.paths)) {
      await this.#reconcile(scope, pending.paths);
      if (this.#closing !== undefined) return;
    }
    this.#publish();
  }

  /**
   * The config directory itself is gone or unreadable. Its resources stay in force: a
   * directory that vanishes is far more often a mount, a checkout or a swap in progress
   * than a wish to delete the whole mesh's config. It is polled until it is back.
   */
  #directoryGone(reason: string): void {
    if (this.#directoryGoneIssue !== undefined) return;
    this.#directoryGoneIssue = directoryIssue(this.directory, `${reason}; the configuration read before stays in force until it is back`);
    this.#watchers?.close();
    this.#watchers = undefined;
    this.#startPolling(`the config directory ${reason}`);
  }

  /** Brings what is known at or under `scope` in line with the disk. */
  async #reconcile(scope: string, hinted: ReadonlySet<string>): Promise<void> {
    const directories = new Set<string>();
    const scan = await scanTree(scope, {
      followLink: scope === this.directory,
      onDirectory: (dir, inode) => {
        directories.add(dir);
        this.#watchers?.add(dir, inode);
      },
    });
    if (this.#closing !== undefined) return;
    // What cannot be listed now is not taken for deleted: its files stay as last read.
    const unreadable = scan.unreadable.map((entry) => entry.path);
    const kept = (path: string): boolean => unreadable.some((dir) => isWithin(path, dir));
    const found = new Set(scan.files.map((file) => file.path));
    for (const path of this.#files.pathsWithin(scope)) {
      if (!found.has(path) && !kept(path)) this.#files.delete(path);
    }
    this.#watchers?.retainWithin(scope, (dir) => directories.has(dir) || kept(dir));
    for (const path of [...this.#directoryIssues.keys()]) {
      if (isWithin(path, scope)) this.#directoryIssues.delete(path);
    }
    for (const { path, error } of scan.unreadable) {
      this.#directoryIssues.set(path, directoryIssue(path, `cannot be read: ${describeFsError(error)}; its files stay as they were last read`));
    }
    for (const file of scan.files) {
      // A path an event named is read again whatever its signature: two writes of the
      // same size within the file system's timestamp granularity look alike.
      if (hinted.has(file.path) || this.#files.signature(file.path) !== file.signature) await this.#load(file);
      if (this.#closing !== undefined) return;
    }
  }

  async #load(file: ScannedFile): Promise<void> {
    const read = await readConfigFile(file.path, this.#options.maxFileBytes);
    if (read.kind === 'gone') {
      this.#files.delete(file.path);
      return;
    }
    if (read.kind === 'read' && this.#files.unchanged(file.path, file.signature, read.digest)) return;
    const parsed = read.kind === 'read' ? parseConfigFile(file.path, read.text, this.#options.defaultNamespace) : { resources: [], issues: read.issues };
    const digest = read.kind === 'read' ? read.digest : undefined;
    const outcome = this.#files.record(file.path, { signature: file.signature, digest, ...parsed }, new Date());
    publish(channels.fileLoaded, { path: file.path, ...outcome, issues: parsed.issues } satisfies FileLoadedEvent);
  }

  #publish(): void {
    if (this.#closing !== undefined) return;
    const batch = this.#published.update(this.#localAddresses.apply(this.#files.merge()));
    if (batch.upserted.length > 0 || batch.removed.length > 0) this.#listeners.emit(batch);
  }
}

async function probeDirectory(path: string): Promise<Probe> {
  try {
    const info = await stat(path, { bigint: true });
    return info.isDirectory() ? { ok: true, inode: info.ino } : { ok: false, reason: 'is not a directory' };
  } catch (error) {
    return { ok: false, reason: `cannot be read: ${describeFsError(error)}`, error };
  }
}

function directoryIssue(path: string, message: string): ConfigIssue {
  return { severity: 'error', code: IssueCode.Source, position: { file: path, line: 0, col: 0 }, path: '', message };
}

function checkedCount(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new FileProviderOptionError(option, value, `an integer of at least ${min}`);
  return value;
}

function publish(channel: { hasSubscribers: boolean; publish(message: unknown): void }, message: unknown): void {
  if (channel.hasSubscribers) channel.publish(message);
}

async function settledWithin(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((done) => {
    timer = setTimeout(done, timeoutMs);
  });
  await Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
