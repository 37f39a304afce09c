import type { Resource } from '@ambit/config-model';

/** Names one resource across the mesh: what a removal carries, and what duplicates share. */
export interface ResourceKey {
  /** API group; '' for the Kubernetes core group. */
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

export function keyOf(resource: Resource): ResourceKey {
  return { group: resource.group, kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name };
}

/** A map key; unambiguous because no group, kind or Kubernetes name contains "|". */
export function keyString(key: ResourceKey): string {
  return `${key.group}|${key.kind}|${key.namespace}|${key.name}`;
}
