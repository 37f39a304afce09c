import { IssueCode, type ConfigIssue } from '@ambit/config-model';
import type { TrackedResource } from '../published-resources.js';
import { comparePaths, isWithin } from './path-order.js';

/** What the status stage and the debug endpoint show for one file. */
export interface FileStatus {
  readonly path: string;
  /** When the file's current content was last read and checked. */
  readonly loadedAt: Date;
  /** True when the current content is in force and nothing in it, or about it, is an error. */
  readonly ok: boolean;
  /** Problems in the current content, then resources another file defines first. */
  readonly issues: readonly ConfigIssue[];
  /** When the version in force was read; undefined when no version ever loaded cleanly, so the file contributes nothing. */
  readonly inForceSince: Date | undefined;
  /** How many resources of this file are in force (defined first here). */
  readonly resources: number;
}

/** What one file contributes: its last good resources, and what its latest read found. */
interface FileRecord {
  signature: string;
  digest: string | undefined;
  loadedAt: Date;
  issues: readonly ConfigIssue[];
  inForce: readonly TrackedResource[];
  inForceSince: Date | undefined;
}

export interface LoadOutcome {
  /** Whether the new content replaced what was in force. */
  readonly applied: boolean;
  /** Whether an earlier good version stays in force instead. */
  readonly keptPrevious: boolean;
}

/**
 * Every config file and what it contributes. A file's content is all or nothing: a read
 * with any error leaves the file's previous good resources in force, so an edit never
 * half-applies. Across files, the first file in path order defines a resource; later
 * definitions are conflicts, reported on their file, and take over when the first goes.
 */
export class FileSet {
  readonly #files = new Map<string, FileRecord>();
  #sorted: string[] | undefined;
  #conflicts = new Map<string, ConfigIssue[]>();
  #inForceCount = new Map<string, number>();

  /** The signature of the file when it was last read; a scan that finds another one means it changed. */
  signature(path: string): string | undefined {
    return this.#files.get(path)?.signature;
  }

  /** Whether `digest` is the content last read from `path`; then only the signature is refreshed. */
  unchanged(path: string, signature: string, digest: string): boolean {
    const record = this.#files.get(path);
    if (record === undefined || record.digest !== digest) return false;
    record.signature = signature;
    return true;
  }

  /** Records a read of `path`: its resources replace those in force unless the read has an error. */
  record(path: string, read: { signature: string; digest: string | undefined; resources: readonly TrackedResource[]; issues: readonly ConfigIssue[] }, now: Date): LoadOutcome {
    const previous = this.#files.get(path);
    const valid = read.digest !== undefined && !read.issues.some((issue) => issue.severity === 'error');
    if (previous === undefined) this.#sorted = undefined;
    this.#files.set(path, {
      signature: read.signature,
      digest: read.digest,
      loadedAt: now,
      issues: read.issues,
      inForce: valid ? read.resources : (previous?.inForce ?? []),
      inForceSince: valid ? now : previous?.inForceSince,
    });
    return { applied: valid, keptPrevious: !valid && previous?.inForceSince !== undefined };
  }

  delete(path: string): void {
    if (this.#files.delete(path)) this.#sorted = undefined;
  }

  /** Known files at or under `scope`. */
  pathsWithin(scope: string): string[] {
    return this.#paths().filter((path) => isWithin(path, scope));
  }

  /** The resource in force for each key, in file path order, then source order; conflicts are kept for status(). */
  merge(): ReadonlyMap<string, TrackedResource> {
    const resources = new Map<string, TrackedResource>();
    const conflicts = new Map<string, ConfigIssue[]>();
    const counts = new Map<string, number>();
    for (const path of this.#paths()) {
      let count = 0;
      for (const entry of this.#files.get(path)!.inForce) {
        const first = resources.get(entry.key);
        if (first === undefined) {
          resources.set(entry.key, entry);
          count++;
        } else {
          const list = conflicts.get(path) ?? [];
          list.push(duplicateIssue(entry, first));
          conflicts.set(path, list);
        }
      }
      counts.set(path, count);
    }
    this.#conflicts = conflicts;
    this.#inForceCount = counts;
    return resources;
  }

  /** Every file in path order, as of the last merge. */
  status(): FileStatus[] {
    return this.#paths().map((path) => {
      const record = this.#files.get(path)!;
      const issues = [...record.issues, ...(this.#conflicts.get(path) ?? [])];
      return {
        path,
        loadedAt: record.loadedAt,
        ok: !issues.some((issue) => issue.severity === 'error'),
        issues,
        inForceSince: record.inForceSince,
        resources: this.#inForceCount.get(path) ?? 0,
      };
    });
  }

  #paths(): string[] {
    this.#sorted ??= [...this.#files.keys()].sort(comparePaths);
    return this.#sorted;
  }
}

/** The issue config-model's duplicate check raises, for a duplicate across two files. */
function duplicateIssue(duplicate: TrackedResource, first: TrackedResource): ConfigIssue {
  const { kind, metadata } = duplicate.resource;
  const at = first.resource.source;
  return {
    severity: 'error',
    code: IssueCode.Conflict,
    position: duplicate.resource.source,
    resource: { kind, name: metadata.name, namespace: metadata.namespace === '' ? undefined : metadata.namespace },
    path: 'metadata.name',
    message: `is defined twice; the first definition is at ${at.file}:${at.line}:${at.col}`,
    hint: 'rename one or remove the copy',
  };
}
