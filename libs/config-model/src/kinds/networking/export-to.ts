import type * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { isIstioDnsLabel } from '../../schema/names.js';
import { report } from '../../schema/object.js';

export interface ExportToOptions {
  /** `~` (no namespace: only the service's own proxies) is allowed: ServiceEntry only. */
  readonly allowNone?: boolean;
  /** The resource is a DestinationRule with a workloadSelector: it may only be exported to its own namespace. */
  readonly workloadSelector?: boolean;
}

export interface ExportToProblem {
  readonly index: number;
  readonly code: IssueCode;
  readonly message: string;
  readonly hint?: string;
}

/**
 * Istio's validateExportTo, for VirtualService, DestinationRule and ServiceEntry: each
 * entry is `.` (this namespace), `*` (every namespace), `~` (ServiceEntry only) or a
 * namespace name; no duplicates (`.` and the resource's own namespace count as the
 * same, when the file names the namespace); `*` and `~` stand alone.
 */
export function exportToProblems(entries: readonly string[], namespace: string | undefined, options: ExportToOptions = {}): ExportToProblem[] {
  const problems: ExportToProblem[] = [];
  const forms = options.allowNone === true ? '".", "*", "~"' : '".", "*"';
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (entry === '~' && options.allowNone !== true) {
      problems.push({ index, code: IssueCode.Value, message: 'exportTo "~" (no namespace) is only allowed on ServiceEntry', hint: 'use "." for this namespace only' });
    } else if (entry !== '.' && entry !== '*' && entry !== '~' && !isIstioDnsLabel(entry)) {
      problems.push({ index, code: IssueCode.Value, message: `exportTo entry "${entry}" must be ${forms} or a namespace name` });
    } else if (seen.has(entry)) {
      problems.push({ index, code: IssueCode.Conflict, message: `duplicate exportTo entry "${entry}"` });
    } else if (namespace !== undefined && ((entry === '.' && seen.has(namespace)) || (entry === namespace && seen.has('.')))) {
      problems.push({ index, code: IssueCode.Conflict, message: `duplicate exportTo entry: "." and "${namespace}" both mean the current namespace` });
    }
    seen.add(entry);
  });
  if (entries.length > 1) {
    for (const [alone, meaning] of [
      ['*', 'all namespaces'],
      ['~', 'no namespace'],
    ] as const) {
      const index = entries.indexOf(alone);
      if (index !== -1 && (alone === '*' || options.allowNone === true)) {
        problems.push({ index, code: IssueCode.Conflict, message: `exportTo "${alone}" (${meaning}) cannot be combined with other entries`, hint: `use "${alone}" alone` });
      }
    }
  }
  if (options.workloadSelector === true) {
    entries.forEach((entry, index) => {
      const own = entry === '.' || entry === namespace;
      if (!own && (namespace !== undefined || entry === '*')) {
        problems.push({
          index,
          code: IssueCode.Value,
          message: 'a DestinationRule with a workloadSelector can only be exported to its own namespace',
          hint: 'use exportTo: ["."] or remove exportTo',
        });
      }
    });
  }
  return problems;
}

/** Reports the exportTo problems of a resource's `spec.exportTo` (run from the kind's refine, which knows the namespace). */
export function checkExportTo(ctx: z.RefinementCtx, entries: readonly string[] | undefined, namespace: string | undefined, options: ExportToOptions = {}): void {
  for (const problem of exportToProblems(entries ?? [], namespace, options)) {
    report(ctx, problem.code, problem.message, { path: ['spec', 'exportTo', problem.index], hint: problem.hint });
  }
}
