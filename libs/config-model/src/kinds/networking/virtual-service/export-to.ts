import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { report } from '../../../schema/object.js';
import { isIstioDnsLabel } from './names.js';

/**
 * `exportTo` as Istio validates it for VirtualService and DestinationRule: each entry
 * is `.` (this namespace), `*` (all namespaces) or a namespace name; no duplicates
 * (`.` and the resource's own namespace count as the same); `*` only on its own.
 * The rules that need the resource's namespace run in the kind's refine, see
 * `checkExportToNamespace`.
 */
export function exportTo() {
  return z.array(z.string()).superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      if (entry === '~') {
        report(ctx, IssueCode.Value, 'exportTo "~" (no namespace) is only allowed on ServiceEntry', {
          path: [i],
          hint: 'use "." for this namespace only',
        });
      } else if (entry !== '.' && entry !== '*' && !isIstioDnsLabel(entry)) {
        report(ctx, IssueCode.Value, `exportTo entry "${entry}" must be ".", "*" or a namespace name`, { path: [i] });
      } else if (seen.has(entry)) {
        report(ctx, IssueCode.Conflict, `duplicate exportTo entry "${entry}"`, { path: [i] });
      }
      seen.add(entry);
    });
    if (entries.length > 1 && entries.includes('*')) {
      report(ctx, IssueCode.Conflict, 'exportTo "*" (all namespaces) cannot be combined with other entries', {
        path: [entries.indexOf('*')],
      });
    }
  });
}

/**
 * The exportTo rules that depend on the resource's own namespace (known only when the
 * file sets metadata.namespace): `.` and that namespace are duplicates, and a
 * DestinationRule with a workloadSelector may only be exported to its own namespace.
 */
export function checkExportToNamespace(
  ctx: z.RefinementCtx,
  entries: readonly string[] | undefined,
  namespace: string | undefined,
  options: { workloadSelector: boolean },
): void {
  if (entries === undefined || entries.length === 0) return;
  const path = (i: number): PropertyKey[] => ['spec', 'exportTo', i];
  if (namespace !== undefined) {
    const dot = entries.indexOf('.');
    const own = entries.indexOf(namespace);
    if (dot !== -1 && own !== -1) {
      report(ctx, IssueCode.Conflict, `exportTo lists both "." and this resource's namespace "${namespace}"`, {
        path: path(Math.max(dot, own)),
      });
    }
  }
  if (!options.workloadSelector) return;
  const isOwn = (e: string): boolean => e === '.' || (namespace !== undefined && e === namespace);
  entries.forEach((entry, i) => {
    if (!isOwn(entry) && (namespace !== undefined || entry === '*')) {
      report(ctx, IssueCode.Value, 'a DestinationRule with a workloadSelector can only be exported to its own namespace', {
        path: path(i),
        hint: 'use exportTo: ["."] or remove exportTo',
      });
    }
  });
}
