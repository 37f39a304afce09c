import { isIstioLabel } from '../gateway/hosts.js';

export interface ExportToProblem {
  /** Index of the entry at fault, or undefined when the list as a whole is. */
  readonly index?: number;
  readonly message: string;
  readonly hint?: string;
}

/**
 * Istio's exportTo rules for a ServiceEntry: entries are `*` (every namespace), `.`
 * (the resource's own), `~` (no namespace) or a namespace name; no duplicates (`.`
 * and the own namespace count as the same); `*` and `~` must stand alone.
 * `namespace` is the resource's namespace when known.
 */
export function checkServiceEntryExportTo(exportTo: readonly string[], namespace: string | undefined): ExportToProblem[] {
  const problems: ExportToProblem[] = [];
  // Normalised entry -> the entry as first written.
  const seen = new Map<string, string>();
  exportTo.forEach((entry, index) => {
    const key = entry === '.' && namespace !== undefined ? namespace : entry;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        index,
        message: first === entry ? `duplicate exportTo entry "${entry}"` : `duplicate exportTo entry: "." and "${key}" both mean the current namespace`,
      });
      return;
    }
    if (entry === '~' || entry === '*' || entry === '.' || isIstioLabel(key)) {
      seen.set(key, entry);
      return;
    }
    problems.push({ index, message: `invalid exportTo entry "${entry}"`, hint: 'use ".", "*", "~" or a namespace name' });
  });
  if (exportTo.length > 1) {
    if (seen.has('*')) problems.push({ message: 'exportTo cannot mix "*" (every namespace) with other entries', hint: 'use "*" alone' });
    if (seen.has('~')) problems.push({ message: 'exportTo cannot mix "~" (no namespace) with other entries', hint: 'use "~" alone' });
  }
  return problems;
}
