import type { ConfigIssue, ValidateResourceResult } from '@ambit/config-model';
import { track, type TrackedResource } from '../published-resources.js';

/** What `/debug/status` shows for an object whose latest version has issues. */
export interface ObjectStatus {
  /** `Kind namespace/name` (`Kind name` when cluster-scoped). */
  readonly object: string;
  /** True when the latest version is in force (its issues are warnings only). */
  readonly ok: boolean;
  readonly issues: readonly ConfigIssue[];
  /** When the latest version was read. */
  readonly loadedAt: Date;
  /** When the version in force was read; undefined when no version was ever valid, so nothing of it is in force. */
  readonly inForceSince: Date | undefined;
}

interface ObjectRecord {
  readonly name: string;
  readonly inForce: TrackedResource | undefined;
  readonly inForceSince: Date | undefined;
  readonly issues: readonly ConfigIssue[];
  readonly loadedAt: Date;
}

/**
 * Every object the informers hold, by `<group>|<kind>|<namespace>|<name>`, and the
 * version of each in force. An object is all or nothing: a version with an error leaves
 * the previous good version in force (never half of the new one) and is reported until a
 * valid version or a deletion replaces it.
 */
export class ObjectSet {
  readonly #records = new Map<string, ObjectRecord>();
  /** The resources in force, kept as records change so that publishing never rebuilds it. */
  readonly #inForce = new Map<string, TrackedResource>();

  /** Records the latest version of an object; says whether it is now in force, or what stays. */
  record(key: string, name: string, result: ValidateResourceResult, now: Date): { applied: boolean; keptPrevious: boolean } {
    const previous = this.#records.get(key);
    const valid = result.resource !== undefined;
    const inForce = valid ? track(result.resource) : previous?.inForce;
    this.#records.set(key, { name, inForce, inForceSince: valid ? now : previous?.inForceSince, issues: result.issues, loadedAt: now });
    if (inForce === undefined) this.#inForce.delete(key);
    else this.#inForce.set(key, inForce);
    return { applied: valid, keptPrevious: !valid && previous?.inForce !== undefined };
  }

  delete(key: string): void {
    this.#records.delete(key);
    this.#inForce.delete(key);
  }

  /** The resources in force, by key (a live view: read it, do not keep it). */
  inForce(): ReadonlyMap<string, TrackedResource> {
    return this.#inForce;
  }

  /** Objects whose latest version has issues, errors first. */
  problems(): ObjectStatus[] {
    const problems: ObjectStatus[] = [];
    for (const record of this.#records.values()) {
      if (record.issues.length === 0) continue;
      const ok = !record.issues.some((issue) => issue.severity === 'error');
      problems.push({ object: record.name, ok, issues: record.issues, loadedAt: record.loadedAt, inForceSince: record.inForceSince });
    }
    return problems.sort((a, b) => Number(a.ok) - Number(b.ok) || (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
  }
}
