/**
 * Locality strings as Istio's locality load balancing uses them: `region`,
 * `region/zone` or `region/zone/subzone`, where the last part may be `*`.
 */

/** Checks one locality's syntax: no empty parts, at most one `*` and only as the whole last part. */
export function checkLocality(locality: string): string | undefined {
  const stars = locality.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) {
    return `locality "${locality}" may contain one "*", and only at the end`;
  }
  const parts = locality.split('/');
  if (parts.length > 3) return `locality "${locality}" has more than region/zone/subzone`;
  if (parts.some((p) => p === '')) return `locality "${locality}" must not have an empty region, zone or subzone`;
  if (stars === 1 && parts[parts.length - 1] !== '*') return `locality "${locality}" may use "*" only as a whole region, zone or subzone`;
  return undefined;
}

/**
 * Whether `later` is already covered by, or covers, the `earlier` locality of the same
 * list (which makes the list ambiguous): `earlier` is a prefix of `later` (its last
 * part may be `*`), or `later` is a prefix of `earlier`.
 */
export function localitiesOverlap(earlier: string, later: string): boolean {
  const a = earlier.split('/');
  const b = later.split('/');
  // earlier covers later
  if (a.length <= b.length) {
    let covers = true;
    for (let i = 0; i < a.length; i++) {
      const last = i === a.length - 1;
      if (a[i] !== b[i] && !(last && a[i] === '*')) {
        covers = false;
        break;
      }
    }
    if (covers) return true;
  }
  // later is a shorter prefix of earlier
  return b.length < a.length && b.every((part, i) => part === a[i]);
}

/** The index of the first locality in `list` that overlaps an earlier one, with that earlier one. */
export function findLocalityOverlap(list: readonly string[]): { index: number; earlier: string } | undefined {
  for (let j = 1; j < list.length; j++) {
    for (let i = 0; i < j; i++) {
      if (localitiesOverlap(list[i]!, list[j]!)) return { index: j, earlier: list[i]! };
    }
  }
  return undefined;
}

/** Topology labels that `failover` already implies, so they cannot also be in failoverPriority. */
export const TOPOLOGY_LABELS: readonly string[] = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
