import type { l7V1 } from '@ambit/xds';
import type { Endpoint, EndpointResolver } from '../engine/index.js';
import type { GatewayAddress, MeshView, Service, Workload } from '../state/index.js';

export interface StateEndpointsOptions {
  /** The network of the proxy's addresses: which VIP of a service is its own. */
  readonly network: string;
  /**
   * Send a service that uses a waypoint to its waypoint rather than to its workloads
   * (the gateway; never the waypoint itself, whose clusters' services all use it).
   */
  readonly viaWaypoint: boolean;
}

/**
 * A Cluster's endpoints from the Address state, read on every call: the workloads
 * backing its service with its port (or exactly its subset's uids), each on its first
 * address and its own target port for the service port (the service's when the
 * workload names none). Workloads without an address or a port for it cannot serve.
 *
 * With `viaWaypoint`, a service that uses a waypoint is reached through it as ztunnel
 * reaches it: its endpoints are the waypoint's workloads, addressed as the service's
 * VIP and port (the HBONE `:authority` the waypoint finds the service by); the tunnel
 * goes to the waypoint workload's own address (HboneUpstream dials a workload's address).
 */
export class StateEndpoints implements EndpointResolver {
  readonly #state: MeshView;
  readonly #options: StateEndpointsOptions;

  constructor(state: MeshView, options: StateEndpointsOptions) {
    this.#state = state;
    this.#options = options;
  }

  endpoints(cluster: l7V1.Cluster): readonly Endpoint[] {
    const state = this.#state;
    const service = state.services.byKey(cluster.service);
    if (this.#options.viaWaypoint && service?.waypoint !== undefined) return this.#throughWaypoint(service, service.waypoint, cluster.port);
    const uids = cluster.subsetEndpoints === null ? state.services.endpoints(cluster.service).keys() : cluster.subsetEndpoints.workloadUids;
    const endpoints: Endpoint[] = [];
    for (const uid of uids) {
      const workload = state.workloads.byUid(uid);
      const ports = workload?.services.get(cluster.service);
      const ip = workload?.workloadIps[0];
      if (workload === undefined || ports === undefined || ip === undefined || !ports.has(cluster.port)) continue;
      const port = ports.get(cluster.port) || service?.ports.get(cluster.port) || 0;
      // A named target port the workload does not resolve cannot be dialled.
      if (port === 0) continue;
      endpoints.push({ uid, ip, port, identity: workload.identity, healthy: workload.status === 'Healthy' });
    }
    return endpoints;
  }

  /** The waypoint's workloads, each addressed as the service's VIP and port; none when the service has no VIP on this network. */
  #throughWaypoint(service: Service, waypoint: GatewayAddress, port: number): readonly Endpoint[] {
    const vip = service.vips.find((candidate) => candidate.network === this.#options.network)?.address;
    if (vip === undefined) return [];
    return this.#waypointWorkloads(waypoint).map((workload) => ({ uid: workload.uid, ip: vip, port, identity: workload.identity, healthy: workload.status === 'Healthy' }));
  }

  #waypointWorkloads(waypoint: GatewayAddress): readonly Workload[] {
    const state = this.#state;
    if ('address' in waypoint.destination) {
      const workload = state.workloads.byAddress(waypoint.destination.address.network, waypoint.destination.address.address);
      return workload === undefined ? [] : [workload];
    }
    const key = `${waypoint.destination.hostname.namespace}/${waypoint.destination.hostname.hostname}`;
    return [...state.services.endpoints(key).keys()].flatMap((uid) => {
      const workload = state.workloads.byUid(uid);
      return workload !== undefined && workload.workloadIps.length > 0 ? [workload] : [];
    });
  }
}
