import type { workloadV1 } from '@ambit/xds';
import type { MeshSettings, WaypointBinding } from '@ambit/mesh-model';
import { ipBytes } from './ip-bytes.js';

/** Where a bound waypoint is reached (Istio's getGatewayAddress), or null without one. */
export function gatewayAddress(binding: WaypointBinding, settings: MeshSettings): workloadV1.GatewayAddress | null {
  if (binding.kind !== 'bound') return null;
  const { address, hbonePort } = binding.waypoint;
  if (address.kind === 'hostname') {
    return { destination: 'hostname', hostname: { namespace: address.namespace, hostname: address.hostname }, hboneMtlsPort: hbonePort };
  }
  const bytes = ipBytes(address.ip);
  return bytes === undefined ? null : { destination: 'address', address: { network: settings.network, address: bytes }, hboneMtlsPort: hbonePort };
}
