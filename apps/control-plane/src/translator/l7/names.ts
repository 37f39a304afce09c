/**
 * xDS names of the L7 resources. The listener context is the name's first part, so
 * that the per-proxy filter decides from the name alone which waypoint or gateway a
 * route table is for.
 */

/** Istio's Envoy cluster name: `outbound|<port>|<subset>|<hostname>`. */
export function clusterName(hostname: string, port: number, subset: string): string {
  return `outbound|${port}|${subset}|${hostname}`;
}

/** The prefix of every route table of one waypoint (`namespace/name`). */
export function waypointRoutePrefix(waypoint: string): string {
  return `waypoint/${waypoint}/`;
}

export function waypointRouteTableName(waypoint: string, hostname: string, port: number): string {
  return `${waypointRoutePrefix(waypoint)}${hostname}:${port}`;
}

/** The prefix of every route table of one Gateway (`namespace/name`). */
export function gatewayRoutePrefix(gateway: string): string {
  return `gateway/${gateway}/`;
}

export function gatewayRouteTableName(gateway: string, port: number): string {
  return `${gatewayRoutePrefix(gateway)}${port}`;
}

/** A Gateway's Listener: `namespace/name`. */
export function listenerName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
