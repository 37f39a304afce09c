import type { Resource } from '@ambit/config-model';

/**
 * The service accounts that a service's waypoint-enforced ALLOW policies name as
 * principals (`AuthorizationPolicy` with `targetRefs` to the Service, `<td>/ns/<ns>/sa/<sa>`),
 * by `namespace/service`. Try it uses it to send its example request as a workload the
 * policies let through; a service absent from the map has no such policy.
 */
export function allowedCallers(resources: readonly Resource[]): ReadonlyMap<string, ReadonlySet<string>> {
  const allowed = new Map<string, Set<string>>();
  for (const resource of resources) {
    if (resource.kind !== 'AuthorizationPolicy') continue;
    const spec = resource.spec as { action?: string; targetRefs?: readonly { kind?: string; name?: string }[]; rules?: readonly { from?: readonly { source?: { principals?: readonly string[] } }[] }[] };
    if ((spec.action ?? 'ALLOW') !== 'ALLOW') continue;
    const accounts = (spec.rules ?? []).flatMap((rule) => (rule.from ?? []).flatMap((from) => from.source?.principals ?? [])).flatMap((principal) => {
      const match = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
      return match === null ? [] : [`${match[1]}/${match[2]}`];
    });
    for (const ref of spec.targetRefs ?? []) {
      if (ref.kind !== 'Service' || ref.name === undefined) continue;
      const key = `${resource.metadata.namespace}/${ref.name}`;
      const set = allowed.get(key) ?? new Set<string>();
      for (const account of accounts) set.add(account);
      allowed.set(key, set);
    }
  }
  return allowed;
}
