import { LABEL } from './istio-labels.js';
import type { Labels } from './labels.js';

/**
 * What an object's `istio.io/use-waypoint` label asks for: no waypoint (`none`, which
 * also overrides the namespace), or a waypoint by name in `istio.io/use-waypoint-namespace`
 * (default: the object's own namespace). Undefined when the label is absent, so the
 * namespace's label decides (Istio's getUseWaypoint).
 */
export type WaypointUse = { readonly kind: 'none' } | { readonly kind: 'waypoint'; readonly namespace: string; readonly name: string };

export function waypointUse(labels: Labels, defaultNamespace: string): WaypointUse | undefined {
  const name = labels[LABEL.useWaypoint];
  if (name === undefined) return undefined;
  // Istio reserves "none": a waypoint named "none" can never be used.
  if (name === 'none') return { kind: 'none' };
  return { kind: 'waypoint', namespace: labels[LABEL.useWaypointNamespace] ?? defaultNamespace, name };
}

/** `namespace/name`, the key of a waypoint (and of its Gateway). */
export function waypointKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
