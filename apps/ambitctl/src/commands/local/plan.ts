import { allowedCallers } from './allowed-callers.js';
import type { PodResource, Resource, ServiceResource } from '@ambit/config-model';
import { assignLocalAddresses, podAddresses } from '@ambit/mesh-model';
import { isLocalWorkload } from './local-checks.js';
import { CONTROL_PLANE_HOST, NODE_PORTS, WORKLOAD_PORTS } from './options.js';
import { planGateways, type PlannedGateway } from './gateways.js';
import { planSamples, type PlannedSample } from './samples.js';
import { planWaypoints, type PlannedWaypoint } from './waypoints.js';

/** The cluster domain of Service hostnames: the control plane's and ztunnel's default. */
const CLUSTER_DOMAIN = 'cluster.local';

export interface PlannedNode {
  readonly name: string;
  readonly address: string;
  /** The address was assigned (the YAML gives none). */
  readonly assigned: boolean;
  /** `ip:port` of ztunnel's admin, metrics and readiness endpoints. */
  readonly admin: string;
  readonly metrics: string;
  readonly readiness: string;
}

export interface PlannedWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly address: string;
  /** `podIP:15080`: whatever connects there sends as this workload. */
  readonly socks5: string;
  /** `namespace/serviceAccount`: who it is in the mesh. */
  readonly account: string;
}

export interface PlannedService {
  readonly namespace: string;
  readonly name: string;
  readonly hostname: string;
  /** Empty for a headless Service. */
  readonly vips: readonly string[];
  /** The VIP was assigned (the YAML gives no cluster IP). */
  readonly assigned: boolean;
  readonly ports: readonly number[];
  /** `namespace/name` of the waypoint its traffic goes through; absent without one. */
  readonly waypoint?: string;
  /** `namespace/serviceAccount`s its waypoint-enforced ALLOW policies name; absent when it has none. */
  readonly allowedCallers?: readonly string[];
}

/** What `local up` starts, and where everything listens. */
export interface LocalPlan {
  readonly controlPlane: { readonly xds: string; readonly admin: string };
  readonly nodes: readonly PlannedNode[];
  readonly workloads: readonly PlannedWorkload[];
  readonly services: readonly PlannedService[];
  /** Our sample workloads that annotated pods ask for (samples.ts). */
  readonly samples: readonly PlannedSample[];
  /** The waypoint pods, each played by our waypoint (waypoints.ts). */
  readonly waypoints: readonly PlannedWaypoint[];
  /** The ingress gateway pods, each played by our ingress gateway (gateways.ts). */
  readonly gateways: readonly PlannedGateway[];
}

/**
 * The local mesh the resources describe, with local mode's addresses assigned by the
 * same function the control plane's file provider uses (assignLocalAddresses), so that
 * what is printed is what the control plane serves. `ports` are the control plane's,
 * and the offset of gateway server ports below 1024 (gateways.ts). Expects resources
 * that passed localModeIssues.
 */
export function planLocalMesh(resources: readonly Resource[], ports: { readonly xds: number; readonly admin: number; readonly lowPortOffset: number }): LocalPlan {
  const assigned = assignLocalAddresses(resources);
  const pods = assigned.resources.filter((r): r is PodResource => r.kind === 'Pod' && isLocalWorkload(r));
  const services = assigned.resources.filter((r): r is ServiceResource => r.kind === 'Service' && r.spec.type !== 'ExternalName');
  const { samples, waypoints: serviceWaypoints } = planSamples(assigned.resources);
  const waypoints = planWaypoints(assigned.resources);
  const callers = allowedCallers(assigned.resources);
  const gateways = planGateways(assigned.resources, ports.lowPortOffset, CLUSTER_DOMAIN);
  // A waypoint or gateway pod is no workload to send as: it is listed with the waypoints or gateways.
  const proxyPods = new Set([...waypoints, ...gateways].map((p) => `${p.namespace}/${p.name}`));
  return {
    controlPlane: { xds: `${CONTROL_PLANE_HOST}:${ports.xds}`, admin: `${CONTROL_PLANE_HOST}:${ports.admin}` },
    nodes: assigned.nodes.map((node) => ({
      name: node.name,
      address: node.address,
      assigned: node.assigned,
      admin: `${node.address}:${NODE_PORTS.admin}`,
      metrics: `${node.address}:${NODE_PORTS.metrics}`,
      readiness: `${node.address}:${NODE_PORTS.readiness}`,
    })),
    workloads: sortedBy(
      pods
        .filter((pod) => !proxyPods.has(`${pod.metadata.namespace}/${pod.metadata.name}`))
        .flatMap((pod) =>
          podAddresses(pod).map((address) => ({
            namespace: pod.metadata.namespace,
            name: pod.metadata.name,
            node: pod.spec.nodeName ?? '',
            address,
            socks5: `${address}:${WORKLOAD_PORTS.socks5}`,
            account: `${pod.metadata.namespace}/${pod.spec.serviceAccountName ?? 'default'}`,
          })),
        ),
    ),
    services: sortedBy(
      services.map((service) => {
        const { name, namespace } = service.metadata;
        const waypoint = serviceWaypoints.get(`${namespace}/${name}`);
        const ips = service.spec.clusterIPs !== undefined && service.spec.clusterIPs.length > 0 ? service.spec.clusterIPs : [service.spec.clusterIP ?? ''];
        return {
          namespace,
          name,
          hostname: `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`,
          vips: ips.filter((ip) => ip !== '' && ip !== 'None'),
          assigned: assigned.vips.has(`${namespace}/${name}`),
          ports: (service.spec.ports ?? []).map((p) => p.port),
          ...(waypoint === undefined ? {} : { waypoint }),
          ...(callers.has(`${namespace}/${name}`) ? { allowedCallers: [...callers.get(`${namespace}/${name}`)!].sort() } : {}),
        };
      }),
    ),
    samples,
    waypoints,
    gateways,
  };
}

function sortedBy<T extends { readonly namespace: string; readonly name: string }>(items: T[]): T[] {
  const key = (item: T): string => `${item.namespace}/${item.name}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
