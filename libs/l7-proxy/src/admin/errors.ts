import { AmbitError } from '@ambit/errors';

/** An HTTP endpoint (admin, metrics, readiness) cannot bind its address. */
export class EndpointListenError extends AmbitError {
  readonly address: string;

  constructor(what: string, address: string, flag: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? 'the address is already in use' : cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_PROXY_LISTEN_ENDPOINT', `cannot serve the ${what} endpoint on ${address}: ${reason}`, {
      hint: `is a ztunnel or another proxy using it on this host? choose another address with ${flag}`,
      cause,
    });
    this.address = address;
  }
}
