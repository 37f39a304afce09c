import { validateResource, type ValidateResourceResult } from '@ambit/config-model';
import type { KubernetesObject } from '@kubernetes/client-node';
import { apiVersionOf, objectPath, type WatchedKind } from './watched-kinds.js';

/**
 * An API object as config-model's validated resource. What the API server adds for its
 * own bookkeeping and the mesh never reads (managedFields, the largest part of many
 * objects) is dropped first; list items, which the server sends without apiVersion and
 * kind for built-in kinds, get them back. Issues name the object's API path.
 */
export function toResource(kind: WatchedKind, object: KubernetesObject): ValidateResourceResult {
  const { managedFields: _managedFields, ...metadata } = object.metadata ?? {};
  const value = { ...object, apiVersion: object.apiVersion ?? apiVersionOf(kind), kind: object.kind ?? kind.kind, metadata };
  return validateResource(value, { source: objectPath(kind, metadata.namespace ?? '', metadata.name ?? '') });
}
