import { AmbitError } from '@ambit/errors';

/**
 * Every way an HBONE tunnel can fail, one class per failure, codes stable
 * (docs/hbone.md lists them). The ztunnel maps them to its access log and metrics, so
 * each says which side and which phase failed.
 */

/** Which wait timed out. */
export type HbonePhase = 'connect' | 'handshake' | 'response' | 'decision';

export class HboneOptionError extends AmbitError {
  constructor(option: string, value: unknown, reason: string) {
    super('AMBIT_ERR_HBONE_OPTION', `${option} = ${describeValue(value)} is invalid: ${reason}`);
  }
}

export class HboneConnectError extends AmbitError {
  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_CONNECT', `cannot open a TCP connection to the HBONE address ${address}: ${messageOf(cause)}`, {
      hint: 'is port 15008 of the destination node reachable from here?',
      cause,
    });
  }
}

export class HboneTlsError extends AmbitError {
  constructor(side: 'client' | 'server', peer: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_TLS', `TLS handshake with ${peer} failed (${side} side): ${messageOf(cause)}`, {
      hint: 'both ends need TLS 1.3, ALPN "h2" and certificates from the same mesh trust bundle',
      cause,
    });
  }
}

export class HboneServerIdentityError extends AmbitError {
  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_SERVER_IDENTITY', `the HBONE server at ${address} is not an identity the destination may have: ${messageOf(cause)}`, {
      hint: 'the destination workload is served by a ztunnel or waypoint holding another identity: check the workload and waypoint addresses in xDS',
      cause,
    });
  }
}

export class HboneClientIdentityError extends AmbitError {
  constructor(peer: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_CLIENT_IDENTITY', `refused the HBONE client ${peer}: ${messageOf(cause)}`, {
      hint: 'the client must present a certificate with one SPIFFE identity, chaining to the mesh trust bundle',
      cause,
    });
  }
}

export class HboneCertificateError extends AmbitError {
  constructor(what: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_CERTIFICATE', `no usable certificate ${what}: ${messageOf(cause)}`, {
      hint: 'the node agent has not obtained a certificate for this workload yet, or the one it has does not load',
      cause,
    });
  }
}

export class HboneTimeoutError extends AmbitError {
  readonly phase: HbonePhase;

  constructor(phase: HbonePhase, peer: string, ms: number) {
    super('AMBIT_ERR_HBONE_TIMEOUT', `HBONE ${phase} with ${peer} did not complete within ${ms} ms`);
    this.phase = phase;
  }
}

/** The server answered the CONNECT with a status other than 200. */
export class HboneRefusedError extends AmbitError {
  readonly status: number;

  constructor(destination: string, status: number) {
    super('AMBIT_ERR_HBONE_REFUSED', `the HBONE server refused the tunnel to ${destination} with status ${status}`, {
      hint: status === 401 || status === 403 ? 'an AuthorizationPolicy or PeerAuthentication at the destination denies it' : undefined,
    });
    this.status = status;
  }
}

/** The stream ended before the server answered: reset, GOAWAY, or the connection closed. */
export class HboneStreamError extends AmbitError {
  /** The HTTP/2 error code of the reset or GOAWAY, when there was one. */
  readonly http2Code: number | undefined;

  constructor(destination: string, reason: string, http2Code?: number, cause?: unknown) {
    super('AMBIT_ERR_HBONE_STREAM', `the HBONE stream to ${destination} failed before its response: ${reason}`, { cause });
    this.http2Code = http2Code;
  }
}

/** The server's handler threw or its promise rejected before answering; the client got 503. */
export class HboneHandlerError extends AmbitError {
  constructor(destination: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_HANDLER', `the HBONE request handler failed for ${destination}: ${messageOf(cause)}`, { cause });
  }
}

export class HbonePoolClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_HBONE_POOL_CLOSED', 'the HBONE pool is closed: no new tunnels are opened');
  }
}

export class HboneServerListenError extends AmbitError {
  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_HBONE_LISTEN', `the HBONE server cannot listen on ${address}: ${messageOf(cause)}`, {
      hint: 'is another ztunnel or waypoint already bound to that port?',
      cause,
    });
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? `[${value.length} items]` : 'an object';
  return String(value);
}
