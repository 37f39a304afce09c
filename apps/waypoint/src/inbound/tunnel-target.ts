import { formatAuthority, type IpPort } from '@ambit/hbone';
import { canonicalIp, type MeshView, type Service } from '@ambit/l7-proxy';
import { TunnelRefusedError } from './errors.js';

/** What a CONNECT to the waypoint leads to: a service port and the route table for it. */
export interface TunnelTarget {
  readonly service: Service;
  /** The VIP the client connected to, canonical. */
  readonly vip: string;
  readonly port: number;
  readonly routeTable: string;
}

/**
 * Resolves a CONNECT's `:authority` (a service VIP and port, as ztunnel sends traffic
 * for a service that uses a waypoint) to the service and this waypoint's route table for
 * that port. Throws TunnelRefusedError when the VIP is no known service or the port has
 * no route table here.
 */
export function tunnelTarget(state: MeshView, network: string, destination: IpPort): TunnelTarget {
  const authority = formatAuthority(destination);
  const vip = canonicalIp(destination.ip) ?? destination.ip;
  const service = state.services.byVip(network, vip);
  if (service === undefined) throw new TunnelRefusedError(authority, `${vip} is not the VIP of a service the waypoint knows`);
  const routeTable = state.routeTableFor(`${service.key}:${destination.port}`);
  if (routeTable === undefined) throw new TunnelRefusedError(authority, `the waypoint has no route table for ${service.hostname}:${destination.port}`);
  return { service, vip, port: destination.port, routeTable };
}
