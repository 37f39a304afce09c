import { compare, selects, serviceWorkloads, type MeshModel, type ServiceSource } from '@ambit/mesh-model';
import type { l7V1, MessageInit } from '@ambit/xds';
import type { EffectiveRule } from './destination-rules.js';
import { clusterName } from './names.js';
import { connectionPool, loadBalancer, mergeTrafficPolicy, outlierDetection, upstreamTls } from './traffic-policy.js';

/**
 * A service's Clusters: one per port, and one per port and subset of its
 * DestinationRule (Istio's cluster set), each with the merged traffic policy. A subset
 * lists its workloads by uid: Addresses carry no labels, and a subset changes only
 * when a workload of the service comes, goes or is relabelled.
 */
export function serviceClusters(model: MeshModel, service: ServiceSource, rule: EffectiveRule | undefined): [string, MessageInit<l7V1.Cluster>][] {
  const subsets = [...(rule?.subsets.values() ?? [])];
  const workloads = subsets.length === 0 ? [] : (serviceWorkloads(model.view, service) ?? []);
  const clusters: [string, MessageInit<l7V1.Cluster>][] = [];
  for (const { port } of service.ports) {
    const base = { service: service.key, hostname: service.hostname, port };
    clusters.push([clusterName(service.hostname, port, ''), { ...base, ...policy(rule, undefined, port) }]);
    for (const subset of subsets) {
      const labels = subset.labels ?? {};
      const uids = workloads.filter((w) => selects(labels, w.labels)).map((w) => w.uid).sort(compare);
      clusters.push([
        clusterName(service.hostname, port, subset.name),
        { ...base, subset: subset.name, subsetEndpoints: { workloadUids: uids }, ...policy(rule, subset.trafficPolicy, port) },
      ]);
    }
  }
  return clusters;
}

function policy(rule: EffectiveRule | undefined, subsetPolicy: EffectiveRule['trafficPolicy'], port: number): MessageInit<l7V1.Cluster> {
  const merged = mergeTrafficPolicy(rule?.trafficPolicy, subsetPolicy, port);
  return {
    loadBalancer: loadBalancer(merged.loadBalancer),
    connectionPool: connectionPool(merged.connectionPool),
    outlierDetection: outlierDetection(merged.outlierDetection),
    tls: upstreamTls(merged.tls),
  };
}
