import { AmbitError } from '@ambit/errors';

/**
 * A CONNECT the waypoint does not serve: its `:authority` is no service VIP the
 * waypoint knows, or the service port has no route table of this waypoint (the service
 * does not use it). Answered with `status` (404, Envoy's "no route"), the tunnel never opened.
 */
export class TunnelRefusedError extends AmbitError {
  readonly status: number;
  readonly authority: string;

  constructor(authority: string, reason: string, status = 404) {
    super('AMBIT_ERR_WAYPOINT_TUNNEL_REFUSED', `CONNECT ${authority} refused: ${reason}`, {
      hint: 'a waypoint serves the service VIPs whose services use it (istio.io/use-waypoint); is the service bound to this waypoint, and has xDS delivered its route table?',
    });
    this.status = status;
    this.authority = authority;
  }
}

/** The HBONE port could not be bound. */
export class InboundListenError extends AmbitError {
  readonly address: string;

  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_WAYPOINT_LISTEN', `cannot serve HBONE on ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'is another waypoint or ztunnel bound to this pod IP and port? (--pod-ip, --hbone-port)',
      cause,
    });
    this.address = address;
  }
}
