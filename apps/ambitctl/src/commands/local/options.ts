import { InvalidArgumentError } from 'commander';

/** The control plane's ports on 127.0.0.1 (Istio's istiod ports), and every node's on its InternalIP. */
export const CONTROL_PLANE_HOST = '127.0.0.1';
export const DEFAULT_PORTS = Object.freeze({ xds: 15012, admin: 15014 });
export const NODE_PORTS = Object.freeze({ admin: 15000, metrics: 15020, readiness: 15021 });
/** The ports ztunnel opens on each local workload's own address. */
export const WORKLOAD_PORTS = Object.freeze({ socks5: 15080, hbone: 15008, plaintext: 15006 });
/** The ports a waypoint serves on its own pod's address, as Istio's waypoint pod does. */
export const WAYPOINT_PORTS = Object.freeze({ hbone: 15008, admin: 15000, metrics: 15020, readiness: 15021 });
/** The ports an ingress gateway serves on its own pod's address besides its Gateway ports, as Istio's gateway pod does. */
export const GATEWAY_PORTS = Object.freeze({ admin: 15000, metrics: 15020, readiness: 15021 });
/** Where `local up` keeps its CA, node tokens and local.json, relative to the working directory. */
export const DEFAULT_STATE_DIR = '.ambit/local';

/** A TCP port from 1 to 65535 (commander option parser). */
export function portNumber(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new InvalidArgumentError('expected a port number from 1 to 65535');
  return port;
}

/** `500ms`, `30s` or `2m`, as milliseconds of at least 1 ms (commander option parser). */
export function duration(value: string): number {
  const match = /^(\d{1,7})(ms|s|m)$/.exec(value);
  const ms = match === null ? 0 : Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
  if (ms < 1) throw new InvalidArgumentError('expected a duration such as 500ms, 30s or 2m');
  return ms;
}
