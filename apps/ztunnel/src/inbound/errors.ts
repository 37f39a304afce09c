import { AmbitError } from '@ambit/errors';

/**
 * Why an inbound connection was refused. `status` is what an HBONE client is answered
 * (as ztunnel answers); a plaintext client gets a TCP reset.
 */
export abstract class InboundRefusedError extends AmbitError {
  abstract readonly status: number;
}

/**
 * The CONNECT names another address than the workload the HBONE connection arrived for
 * (ztunnel's IPMismatch, 400), or no workload of this node is at the address (503).
 */
export class InboundDestinationError extends InboundRefusedError {
  readonly status: number;

  constructor(target: string, reason: string, status: 400 | 503) {
    super('AMBIT_ERR_ZTUNNEL_INBOUND_DESTINATION', `inbound connection to ${target} refused: ${reason}`, {
      hint: 'the destination ztunnel accepts tunnels only to the workloads on its own node, at the address the tunnel arrived on',
    });
    this.status = status;
  }
}

/** The target is one of this ztunnel's own listeners (ztunnel's SelfCall): forwarding there would loop, or let the caller send as the workload. */
export class InboundSelfCallError extends InboundRefusedError {
  readonly status = 503;

  constructor(target: string) {
    super('AMBIT_ERR_ZTUNNEL_INBOUND_SELF_CALL', `inbound connection to ${target} refused: that is one of ztunnel's own listeners`);
  }
}

/** A plaintext connection to a workload that does not serve exactly one port: which one it is for cannot be told. */
export class InboundPortError extends InboundRefusedError {
  readonly status = 503;

  constructor(workload: string, ports: readonly number[]) {
    super(
      'AMBIT_ERR_ZTUNNEL_INBOUND_PORT',
      `plaintext inbound connection to ${workload} refused: it serves ${ports.length === 0 ? 'no port' : `ports ${ports.join(', ')}`}, and the plaintext listener forwards only to a workload's single port`,
      { hint: 'send through the mesh (HBONE, e.g. from a SOCKS5 entry), which names the port' },
    );
  }
}

/** L4 authorization (AuthorizationPolicy, or PeerAuthentication compiled into one) refused the connection: 401, as ztunnel answers. */
export class InboundDeniedError extends InboundRefusedError {
  readonly status = 401;
  readonly reason: string;
  readonly policy: string | undefined;

  constructor(target: string, reason: string, policy: string | undefined) {
    super('AMBIT_ERR_ZTUNNEL_INBOUND_DENIED', `inbound connection to ${target} denied: ${reason}${policy === undefined ? '' : ` (policy ${policy})`}`);
    this.reason = reason;
    this.policy = policy;
  }
}

/** An inbound listener cannot bind its workload address. */
export class InboundListenError extends AmbitError {
  readonly address: string;

  constructor(kind: string, address: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? ((cause as { cause?: NodeJS.ErrnoException } | undefined)?.cause?.code);
    const reason = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EADDRNOTAVAIL' ? 'this host does not have that address' : cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_ZTUNNEL_INBOUND_LISTEN', `cannot serve ${kind} inbound on ${address}: ${reason}`, {
      hint: 'in local mode each workload address must be a local address (127.0.0.0/8 works on Linux), and no other process may hold the port there',
      cause,
    });
    this.address = address;
  }
}
