import type { NamespaceResource } from '@ambit/config-model';
import { DATAPLANE_MODE_AMBIENT, LABEL } from './istio-labels.js';
import type { Labels } from './labels.js';
import { waypointUse, type WaypointUse } from './waypoint-use.js';

/** A namespace as the mesh sees it: ambient enrolment and its default waypoint. */
export interface NamespaceEntry {
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** `istio.io/dataplane-mode=ambient`: pods in it are captured unless they opt out. */
  readonly ambient: boolean;
  readonly waypoint: WaypointUse | undefined;
}

export function namespaceEntry(ns: NamespaceResource): NamespaceEntry {
  const labels = ns.metadata.labels;
  return {
    name: ns.metadata.name,
    labels,
    annotations: ns.metadata.annotations,
    ambient: labels[LABEL.dataplaneMode] === DATAPLANE_MODE_AMBIENT,
    waypoint: waypointUse(labels, ns.metadata.name),
  };
}
