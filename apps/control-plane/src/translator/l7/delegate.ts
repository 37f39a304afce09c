import type { VirtualServiceResource } from '@ambit/config-model';
import { isDeepStrictEqual } from 'node:util';
import type { HttpMatch } from './route-match.js';

type HttpRoute = NonNullable<VirtualServiceResource['spec']['http']>[number];

/**
 * The routes of a delegating route, flattened as Istio's mergeVirtualServicesIfNeeded
 * does: each route of the delegate takes the parent's match merged with its own
 * (every pair of parent and child matches; a pair that contradicts itself is dropped,
 * and so is a child route left with no match). Only one level of delegation exists.
 * Each route keeps its index in the delegate, which names it.
 */
export function flattenDelegate(parent: HttpRoute, delegate: VirtualServiceResource): { route: HttpRoute; index: number }[] {
  const parentMatches = parent.match ?? [];
  const flattened: { route: HttpRoute; index: number }[] = [];
  for (const [index, child] of (delegate.spec.http ?? []).entries()) {
    if (child.delegate !== undefined) continue;
    const childMatches = child.match ?? [];
    if (parentMatches.length === 0) {
      flattened.push({ route: child, index });
      continue;
    }
    const merged = parentMatches.flatMap((p) => (childMatches.length === 0 ? [p] : childMatches.map((c) => mergeMatch(p, c)).filter((m): m is HttpMatch => m !== undefined)));
    if (merged.length > 0) flattened.push({ route: { ...child, match: merged }, index });
  }
  return flattened;
}

const SCALARS = ['scheme', 'method', 'authority', 'port', 'sourceNamespace'] as const;
const MAPS = ['headers', 'withoutHeaders', 'queryParams', 'sourceLabels'] as const;

/** A child match within its parent's, or undefined when the two cannot both hold. */
export function mergeMatch(parent: HttpMatch, child: HttpMatch): HttpMatch | undefined {
  const merged: Record<string, unknown> = { ...parent };
  const uri = mergeUri(parent.uri, child.uri);
  if (uri === null) return undefined;
  merged['uri'] = uri;
  for (const field of SCALARS) {
    const [p, c] = [parent[field], child[field]];
    if (p !== undefined && c !== undefined && !isDeepStrictEqual(p, c)) return undefined;
    merged[field] = p ?? c;
  }
  for (const field of MAPS) {
    const p: Record<string, unknown> = parent[field] ?? {};
    const c: Record<string, unknown> = child[field] ?? {};
    for (const key of Object.keys(c)) if (key in p && !isDeepStrictEqual(p[key], c[key])) return undefined;
    if (Object.keys(p).length + Object.keys(c).length > 0) merged[field] = { ...p, ...c };
  }
  return merged as HttpMatch;
}

/** The child's uri when it lies within the parent's (a prefix or exact extending the parent's prefix); null on conflict. */
function mergeUri(parent: HttpMatch['uri'], child: HttpMatch['uri']): HttpMatch['uri'] | null {
  if (child === undefined) return parent;
  if (parent === undefined) return child;
  if (isDeepStrictEqual(parent, child)) return child;
  if (parent.prefix === undefined) return null;
  const value = child.prefix ?? child.exact;
  return value !== undefined && value.startsWith(parent.prefix) ? child : null;
}
