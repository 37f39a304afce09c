import { ANNOTATION } from './istio-labels.js';
import type { Labels } from './labels.js';

/** How ztunnel should prefer endpoints of a service. */
export type LoadBalancingPreference =
  /** PreferClose / PreferSameZone: same network, region, zone first, failing over. */
  | 'sameZone'
  /** PreferSameNode: down to the same node first, failing over. */
  | 'sameNode'
  /** internalTrafficPolicy: Local: only endpoints on the client's node. */
  | 'nodeLocal';

/**
 * Istio's GetTrafficDistribution: spec.trafficDistribution, else the
 * `networking.istio.io/traffic-distribution` annotation of the service, else of its
 * namespace (case-insensitive); internalTrafficPolicy Local overrides them all.
 */
export function loadBalancingPreference(
  nodeLocal: boolean,
  spec: string | undefined,
  annotations: Labels,
  namespaceAnnotations: Labels,
): LoadBalancingPreference | undefined {
  if (nodeLocal) return 'nodeLocal';
  const fromSpec = parse(spec);
  if (fromSpec !== undefined) return fromSpec;
  return parse(annotations[ANNOTATION.trafficDistribution]) ?? parse(namespaceAnnotations[ANNOTATION.trafficDistribution]);
}

function parse(value: string | undefined): LoadBalancingPreference | undefined {
  switch (value?.toLowerCase()) {
    case 'preferclose':
    case 'prefersamezone':
      return 'sameZone';
    case 'prefersamenode':
      return 'sameNode';
    default:
      return undefined;
  }
}
