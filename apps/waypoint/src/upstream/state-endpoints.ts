import type { l7V1 } from '@ambit/xds';
import type { Endpoint, EndpointResolver } from '../engine/index.js';
import type { MeshView } from '../state/index.js';

/**
 * A Cluster's endpoints from the Address state, read on every call: the workloads
 * backing its service with its port (or exactly its subset's uids), each on its first
 * address and its own target port for the service port (the service's when the
 * workload names none). Workloads without an address or a port for it cannot serve.
 */
export class StateEndpoints implements EndpointResolver {
  readonly #state: MeshView;

  constructor(state: MeshView) {
    this.#state = state;
  }

  endpoints(cluster: l7V1.Cluster): readonly Endpoint[] {
    const state = this.#state;
    const service = state.services.byKey(cluster.service);
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
}
