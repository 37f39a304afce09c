import type { Resource } from '@ambit/config-model';

/** Names one input resource: its API group, kind, namespace ('' when cluster-scoped) and name. */
export interface ResourceId {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function idOf(resource: Resource): ResourceId {
  return { group: resource.group, kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name };
}

/** A string key for maps; unambiguous because no group, kind or Kubernetes name contains "|". */
export function idKey(id: ResourceId): string {
  return `${id.group}|${id.kind}|${id.namespace}|${id.name}`;
}

/** `Kind namespace/name`, as config-model's issues name resources. */
export function describeId(id: ResourceId): string {
  return id.namespace === '' ? `${id.kind} ${id.name}` : `${id.kind} ${id.namespace}/${id.name}`;
}
