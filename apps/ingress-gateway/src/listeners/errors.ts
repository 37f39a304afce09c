import { AmbitError } from '@ambit/errors';

/** A Gateway server port could not be bound; the other ports are served. */
export class GatewayListenError extends AmbitError {
  readonly address: string;

  constructor(address: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? 'the address is already in use' : cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_GATEWAY_LISTEN', `cannot serve a Gateway port on ${address}: ${reason}`, {
      hint: 'is another gateway or program bound to it? ports below 1024 are served at port + --low-port-offset unless the gateway runs as root',
      cause,
    });
    this.address = address;
  }
}
