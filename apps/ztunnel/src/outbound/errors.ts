import { AmbitError } from '@ambit/errors';

/**
 * Why an outbound connection could not be planned or opened. `reason` is what a
 * SOCKS5 client is told (RFC 1928 reply codes) and what metrics count.
 */
export type OutboundFailure = 'unreachable' | 'refused' | 'unsupported' | 'failed';

export abstract class OutboundError extends AmbitError {
  abstract readonly reason: OutboundFailure;
}

/** A mesh service has no endpoint to send to: none healthy, none serving the port, or none matching a strict locality preference. */
export class NoHealthyEndpointError extends OutboundError {
  readonly reason = 'unreachable';
  constructor(service: string, port: number) {
    super('AMBIT_ERR_ZTUNNEL_NO_HEALTHY_ENDPOINT', `service ${service} has no healthy endpoint for port ${port}`, {
      hint: 'are its pods ready, and do they serve this port?',
    });
  }
}

/** A mesh service was addressed on a port it does not declare. */
export class UnknownServicePortError extends OutboundError {
  readonly reason = 'unreachable';
  constructor(service: string, port: number, known: readonly number[]) {
    super('AMBIT_ERR_ZTUNNEL_UNKNOWN_SERVICE_PORT', `service ${service} has no port ${port} (it declares ${known.length === 0 ? 'none' : known.join(', ')})`);
  }
}

/** The chosen workload has no IP to dial (a WorkloadEntry by DNS name: on-demand DNS is not built yet), or none of a usable family. */
export class NoWorkloadAddressError extends OutboundError {
  readonly reason = 'unreachable';
  constructor(workload: string) {
    super('AMBIT_ERR_ZTUNNEL_NO_WORKLOAD_ADDRESS', `workload ${workload} has no IP address to connect to`);
  }
}

/** A destination's waypoint cannot be resolved to a reachable workload. */
export class WaypointUnavailableError extends OutboundError {
  readonly reason = 'unreachable';
  constructor(waypoint: string, why: string) {
    super('AMBIT_ERR_ZTUNNEL_WAYPOINT_UNAVAILABLE', `waypoint ${waypoint} is not reachable: ${why}`, {
      hint: 'is the waypoint deployed and ready?',
    });
  }
}

/** A host name is neither a mesh name nor one the system resolver knows. */
export class UnresolvedHostError extends OutboundError {
  readonly reason = 'unreachable';
  constructor(host: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_UNRESOLVED_HOST', `cannot resolve ${JSON.stringify(host)}: not a mesh service or workload, and the system resolver has no address for it`, { cause });
  }
}

/** The plan needs HBONE and this ztunnel has no HBONE connector. */
export class HboneUnavailableError extends OutboundError {
  readonly reason = 'unsupported';
  constructor(destination: string) {
    super('AMBIT_ERR_ZTUNNEL_HBONE_UNAVAILABLE', `${destination} is in the mesh and must be reached over HBONE, which this ztunnel cannot send yet`, {
      hint: 'only destinations outside the mesh (or workloads with tunnel protocol NONE) are reachable until HBONE lands',
    });
  }
}

/** Opening the TCP connection failed. */
export class ConnectError extends OutboundError {
  readonly reason: OutboundFailure;
  readonly target: string;
  constructor(target: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason: OutboundFailure = code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'unreachable' : 'failed';
    super('AMBIT_ERR_ZTUNNEL_CONNECT', `cannot connect to ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.reason = reason;
    this.target = target;
  }
}

/** The HBONE tunnel could not be opened: the next hop refused it (policy), did not answer, or is not who the plan allows. */
export class HboneTunnelError extends OutboundError {
  readonly reason: OutboundFailure;
  constructor(target: string, reason: OutboundFailure, cause: unknown) {
    super('AMBIT_ERR_ZTUNNEL_HBONE_TUNNEL', `cannot open an HBONE tunnel to ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.reason = reason;
  }
}
