import { sep } from 'node:path';

/**
 * The order config-model's readSources reads a directory in: entries by name (code
 * points), depth first. Comparing segment by segment gives that order for whole paths
 * (`a/x.yaml` before `a-b/x.yaml`, though "-" sorts before "/"), so that the file that
 * wins a duplicate here is the one `ambitctl validate` names as the first definition.
 */
export function comparePaths(a: string, b: string): number {
  const left = a.split(sep);
  const right = b.split(sep);
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/** Whether `path` is `scope` itself or inside it. */
export function isWithin(path: string, scope: string): boolean {
  return path === scope || path.startsWith(scope.endsWith(sep) ? scope : scope + sep);
}

/** The paths that are not inside another of them, in path order: each subtree is scanned once. */
export function outermost(paths: Iterable<string>): string[] {
  const kept: string[] = [];
  for (const path of [...paths].sort(comparePaths)) {
    // Sorted segment-wise, everything inside a path directly follows it.
    const last = kept[kept.length - 1];
    if (last === undefined || !isWithin(path, last)) kept.push(path);
  }
  return kept;
}
