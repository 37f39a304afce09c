import type { Service, Workload } from '../state/index.js';

/** An IP and port to open a TCP connection to. */
export interface SocketTarget {
  readonly ip: string;
  readonly port: number;
}

/** What a connection was addressed to, after naming has been resolved. */
export type OutboundTarget =
  /** An IP (a pod IP, a service VIP, or anything outside the mesh). */
  | { readonly kind: 'address'; readonly ip: string; readonly port: number }
  /** A mesh service named by hostname (it may have no VIP at all). */
  | { readonly kind: 'service'; readonly service: Service; readonly port: number }
  /** A workload named by its hostname. */
  | { readonly kind: 'workload'; readonly workload: Workload; readonly port: number };

/**
 * How one outbound connection is carried, as ztunnel's outbound `Request` describes it:
 * the next hop to dial and, for HBONE, what to ask it for. `route` says why.
 */
export interface OutboundPlan {
  readonly route: 'direct' | 'service-waypoint' | 'workload-waypoint' | 'passthrough';
  /** HBONE: mutual TLS + HTTP/2 CONNECT to `nextHop`; TCP: plain bytes to `nextHop`. */
  readonly protocol: 'HBONE' | 'TCP';
  readonly source: Workload;
  /** The address to dial: the destination itself (TCP), its node's HBONE port, or a waypoint's. */
  readonly nextHop: SocketTarget;
  /** HBONE only: the CONNECT `:authority` (the workload's ip:port, or the service VIP:port or hostname:port sent to a waypoint). */
  readonly hboneTarget: string | undefined;
  /** The workload that answers the next hop (the waypoint's, when going through one); none when passing through. */
  readonly destinationWorkload: Workload | undefined;
  /** The service the connection was addressed to, also when a waypoint answers for it. */
  readonly destinationService: Service | undefined;
  /** SPIFFE IDs the next hop may present; empty for plain TCP. */
  readonly upstreamIdentities: readonly string[];
}

export function formatTarget(target: OutboundTarget): string {
  const host = target.kind === 'address' ? (target.ip.includes(':') ? `[${target.ip}]` : target.ip) : target.kind === 'service' ? target.service.hostname : target.workload.hostname;
  return `${host}:${target.port}`;
}
