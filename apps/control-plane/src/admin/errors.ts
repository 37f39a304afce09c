import { AmbitError } from '@ambit/errors';
import { envOf, flagOf, SETTING } from '../config/index.js';

/** The admin port cannot be bound (taken, or an address this host does not have). */
export class AdminListenError extends AmbitError {
  readonly address: string;

  constructor(address: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? 'the address is already in use' : cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_CP_ADMIN_LISTEN', `cannot serve the admin endpoints on ${address}: ${reason}`, {
      hint: `is another control plane running? choose another address with ${flagOf(SETTING.adminAddress)} (${envOf(SETTING.adminAddress)})`,
      cause,
    });
    this.address = address;
  }
}
