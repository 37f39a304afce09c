import { workloadV1 } from '@ambit/xds';
import type { LoadBalancingPreference, MeshSettings, ServiceView } from '@ambit/mesh-model';
import { gatewayAddress } from './gateway-address.js';
import { ipBytes } from './ip-bytes.js';

const { Scope, Mode } = { Scope: workloadV1.LoadBalancing_Scope, Mode: workloadV1.LoadBalancing_Mode };

/** Istio's preferSameZone/preferSameNode load balancers and internalTrafficPolicy Local. */
const LOAD_BALANCING: Record<LoadBalancingPreference, workloadV1.LoadBalancing> = {
  sameZone: { routingPreference: [Scope.NETWORK, Scope.REGION, Scope.ZONE], mode: Mode.FAILOVER },
  sameNode: { routingPreference: [Scope.NETWORK, Scope.REGION, Scope.ZONE, Scope.SUBZONE, Scope.NODE], mode: Mode.FAILOVER },
  nodeLocal: { routingPreference: [Scope.NODE], mode: Mode.STRICT },
};

/** A Service or ServiceEntry host as ztunnel's Address (Istio's constructService / constructServiceEntries). */
export function serviceAddress(view: ServiceView, settings: MeshSettings): workloadV1.Address {
  const source = view.source;
  return {
    type: 'service',
    service: {
      name: source.name,
      namespace: source.namespace,
      hostname: source.hostname,
      addresses: source.vips.flatMap((vip) => {
        const address = ipBytes(vip);
        return address === undefined ? [] : [{ network: settings.network, address }];
      }),
      // A named targetPort is 0 here: each workload says which port it is (Workload.services).
      ports: source.ports.map((p) => ({ servicePort: p.port, targetPort: p.targetPort })),
      subjectAltNames: source.subjectAltNames,
      waypoint: gatewayAddress(view.waypoint, settings),
      loadBalancing: view.loadBalancing === undefined ? null : LOAD_BALANCING[view.loadBalancing],
    },
  };
}
