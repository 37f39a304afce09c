import { workloadV1 } from '@ambit/xds';
import { compare, type MeshSettings, type WorkloadView } from '@ambit/mesh-model';
import { gatewayAddress } from './gateway-address.js';
import { ipBytes } from './ip-bytes.js';
import { convertedPeerAuthenticationName, staticStrictPolicyName } from './names.js';

/** A Pod, WorkloadEntry or ServiceEntry endpoint as ztunnel's Address (Istio's workload builders). */
export function workloadAddress(view: WorkloadView, settings: MeshSettings): workloadV1.Address {
  const source = view.source;
  // Map keys sorted: the encoding, and so the version, must not depend on discovery order.
  const services: Record<string, workloadV1.PortList> = {};
  for (const binding of [...view.services].sort((a, b) => compare(a.service.key, b.service.key))) {
    services[binding.service.key] = { ports: binding.ports.map((p) => ({ servicePort: p.servicePort, targetPort: p.targetPort })) };
  }
  return {
    type: 'workload',
    workload: {
      uid: source.uid,
      name: source.name,
      namespace: source.namespace,
      addresses: source.addresses.flatMap((a) => {
        const bytes = ipBytes(a);
        return bytes === undefined ? [] : [bytes];
      }),
      hostname: source.hostname,
      network: source.network === '' ? settings.network : source.network,
      tunnelProtocol: view.hbone ? workloadV1.TunnelProtocol.HBONE : workloadV1.TunnelProtocol.NONE,
      trustDomain: settings.trustDomain,
      serviceAccount: source.serviceAccount,
      waypoint: gatewayAddress(view.waypoint, settings),
      node: source.node,
      canonicalName: source.canonicalName,
      canonicalRevision: source.canonicalRevision,
      // Istio reports every workload as POD now ("backwards compatibility"); the kind is in the uid.
      workloadType: workloadV1.WorkloadType.POD,
      workloadName: source.workloadName,
      services,
      authorizationPolicies: [...view.authorizationPolicies, ...peerAuthenticationPolicies(view, settings)],
      status: source.healthy ? workloadV1.WorkloadStatus.HEALTHY : workloadV1.WorkloadStatus.UNHEALTHY,
      clusterId: settings.clusterId,
      locality: view.locality ?? null,
    },
  };
}

/** Istio's effectivePeerAuthenticationKeys: the static STRICT policy and/or the converted port-level one, sorted. */
function peerAuthenticationPolicies(view: WorkloadView, settings: MeshSettings): string[] {
  const { strict, portLevel } = view.peerAuthentication;
  const keys: string[] = [];
  if (strict) keys.push(staticStrictPolicyName(settings.rootNamespace));
  if (portLevel !== undefined) keys.push(convertedPeerAuthenticationName(portLevel.namespace, portLevel.name));
  return keys.sort(compare);
}
