import type { KubernetesGatewayResource } from '@ambit/config-model';
import { LABEL, WAYPOINT_GATEWAY_CLASS, WAYPOINT_HBONE_PORT } from './istio-labels.js';
import type { LabelSelector } from './labels.js';
import { waypointKey } from './waypoint-use.js';

/** Which traffic a waypoint takes (`istio.io/waypoint-for`); Istio's default is `service`. */
export type TrafficType = 'service' | 'workload' | 'all' | 'none';

/** Where clients reach a waypoint: its Service hostname (preferred) or an IP. */
export type WaypointAddress =
  | { readonly kind: 'hostname'; readonly namespace: string; readonly hostname: string }
  | { readonly kind: 'ip'; readonly ip: string };

/** Which namespaces may use a waypoint: its HBONE listener's allowedRoutes.namespaces. */
export type AllowedNamespaces =
  | { readonly from: 'All' }
  | { readonly from: 'Same' }
  | { readonly from: 'Selector'; readonly selector: LabelSelector | undefined };

/** A gateway.networking.k8s.io Gateway of class istio-waypoint, as ztunnels need it. */
export interface Waypoint {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly trafficType: TrafficType;
  readonly address: WaypointAddress;
  readonly hbonePort: number;
  readonly allowedNamespaces: AllowedNamespaces;
}

/** The waypoint a Gateway declares, or undefined for a Gateway of another class. */
export function waypointOf(gateway: KubernetesGatewayResource, clusterDomain: string): Waypoint | undefined {
  if (gateway.spec.gatewayClassName !== WAYPOINT_GATEWAY_CLASS) return undefined;
  const { name, namespace } = gateway.metadata;
  return {
    key: waypointKey(namespace, name),
    namespace,
    name,
    trafficType: trafficTypeOf(gateway.metadata.labels[LABEL.waypointFor]),
    address: addressOf(gateway, clusterDomain),
    hbonePort: WAYPOINT_HBONE_PORT,
    allowedNamespaces: allowedNamespacesOf(gateway),
  };
}

function trafficTypeOf(label: string | undefined): TrafficType {
  return label === 'workload' || label === 'all' || label === 'none' ? label : 'service';
}

/**
 * Istio takes the address from the Gateway's status (a Hostname first, else an IP),
 * written by its deployment controller once the waypoint runs. Ambit also reads
 * spec.addresses the same way, and otherwise uses the hostname that controller would
 * write: the waypoint Service `<name>.<namespace>.svc.<cluster domain>`, because no
 * controller fills in status when config comes from files.
 */
function addressOf(gateway: KubernetesGatewayResource, clusterDomain: string): WaypointAddress {
  const { name, namespace } = gateway.metadata;
  for (const addresses of [gateway.status?.addresses ?? [], gateway.spec.addresses ?? []]) {
    const hostname = addresses.find((a) => a.type === 'Hostname' && (a.value ?? '') !== '');
    if (hostname?.value !== undefined) return { kind: 'hostname', namespace, hostname: hostname.value };
    const ip = addresses.find((a) => a.type === 'IPAddress' && (a.value ?? '') !== '');
    if (ip?.value !== undefined) return { kind: 'ip', ip: ip.value };
  }
  return { kind: 'hostname', namespace, hostname: `${name}.${namespace}.svc.${clusterDomain}` };
}

/** Istio's makeAllowedRoutes: the HBONE listener on 15008 decides; without one, only the same namespace. */
function allowedNamespacesOf(gateway: KubernetesGatewayResource): AllowedNamespaces {
  const listener = gateway.spec.listeners.find((l) => l.protocol === 'HBONE' && l.port === WAYPOINT_HBONE_PORT);
  const namespaces = listener?.allowedRoutes.namespaces;
  switch (namespaces?.from) {
    case 'All':
      return { from: 'All' };
    case 'Selector':
      return { from: 'Selector', selector: namespaces.selector };
    default:
      return { from: 'Same' };
  }
}
