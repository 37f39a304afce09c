import type { PodResource, Resource } from '@ambit/config-model';
import { MeshModel, podAddresses } from '@ambit/mesh-model';
import { isLocalWorkload } from './local-checks.js';
import { WAYPOINT_PORTS } from './options.js';

/**
 * The label Istio's gateway controller puts on the pods it deploys for a Gateway (so on
 * a waypoint's pods), naming the Gateway.
 */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** A waypoint `local up` starts: one process playing one waypoint pod. */
export interface PlannedWaypoint {
  readonly namespace: string;
  /** The pod it plays. */
  readonly name: string;
  /** `namespace/name` of its Gateway (class istio-waypoint). */
  readonly gateway: string;
  readonly node: string;
  /** The pod's address: HBONE, admin, metrics and readiness are served there. */
  readonly address: string;
  /** `podIP:15008`, where ztunnels send the traffic of the services bound to it. */
  readonly hbone: string;
  readonly admin: string;
  readonly metrics: string;
  readonly readiness: string;
}

/**
 * The waypoint pods of the config: pods labelled with the name of a Gateway of class
 * istio-waypoint in their namespace (as Istio's controller labels the pods it deploys
 * for one), recognised by the mesh model as the control plane recognises them. Each
 * gets its Gateway's well-known ports on its own address, as on a cluster where the
 * waypoint has a pod (and a network namespace) of its own. Expects resources that passed
 * validation and localModeIssues.
 */
export function planWaypoints(resources: readonly Resource[]): PlannedWaypoint[] {
  const model = new MeshModel();
  model.apply({ upserted: resources });
  const waypoints: PlannedWaypoint[] = [];
  for (const pod of resources) {
    if (pod.kind !== 'Pod' || !isLocalWorkload(pod)) continue;
    const gateway = gatewayOf(pod);
    const address = podAddresses(pod)[0];
    if (gateway === undefined || address === undefined || model.view.waypoint(gateway) === undefined) continue;
    const at = (port: number): string => `${address}:${port}`;
    waypoints.push({
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      gateway,
      node: pod.spec.nodeName ?? '',
      address,
      hbone: at(WAYPOINT_PORTS.hbone),
      admin: at(WAYPOINT_PORTS.admin),
      metrics: at(WAYPOINT_PORTS.metrics),
      readiness: at(WAYPOINT_PORTS.readiness),
    });
  }
  const key = (w: PlannedWaypoint): string => `${w.namespace}/${w.name}`;
  return waypoints.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `namespace/name` of the Gateway whose pod this is, by Istio's label; undefined for any other pod. */
function gatewayOf(pod: PodResource): string | undefined {
  const name = pod.metadata.labels[GATEWAY_NAME_LABEL];
  return name === undefined || name === '' ? undefined : `${pod.metadata.namespace}/${name}`;
}
