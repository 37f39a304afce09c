import { AmbitError } from '@ambit/errors';

/** The proxy's addresses were asked for before start() resolved or after close(). */
export class ProxyNotListeningError extends AmbitError {
  constructor(program: string) {
    super('AMBIT_ERR_PROXY_NOT_LISTENING', `the ${program} is not listening`, { hint: 'await start() before reading its addresses' });
  }
}

/** start() after close(): a closed proxy cannot be restarted. */
export class ProxyClosedError extends AmbitError {
  constructor(program: string) {
    super('AMBIT_ERR_PROXY_CLOSED', `the ${program} was closed`, { hint: 'create a new one to start again' });
  }
}

/** The proxy's own Workload has no address and none was given. */
export class ProxyAddressError extends AmbitError {
  constructor(program: string, uid: string) {
    super('AMBIT_ERR_PROXY_NO_ADDRESS', `the ${program}'s Workload ${uid} has no address to listen on`, { hint: 'give --pod-ip, or give the Pod a status.podIP' });
  }
}
