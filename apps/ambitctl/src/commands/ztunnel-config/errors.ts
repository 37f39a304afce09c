import { AmbitError } from '@ambit/errors';

/**
 * Why `ambitctl ztunnel-config` could not show a ztunnel's config. The first is about
 * the command line (exit 2); the others about the ztunnel it names (exit 1).
 */

/** Which ztunnel to ask cannot be told from --address, --node and the local mesh. */
export class ZtunnelTargetError extends AmbitError {
  constructor(problem: string, hint: string) {
    super('AMBIT_ERR_ZTUNNEL_CONFIG_TARGET', problem, { hint });
  }
}

/** Nothing answered at the admin address (refused, timed out, or the answer was too large). */
export class AdminUnreachableError extends AmbitError {
  readonly address: string;

  constructor(address: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CONFIG_UNREACHABLE', `cannot read the config dump of the ztunnel at ${address}: ${reason}`, {
      hint: 'is that ztunnel running, and is this its admin address (port 15000)? `ambitctl local status` lists each node with its admin address',
      cause,
    });
    this.address = address;
  }
}

/** The admin endpoint answered, but not with a ztunnel config dump. */
export class ConfigDumpError extends AmbitError {
  constructor(url: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CONFIG_DUMP', `${url} ${problem}`, { hint: 'is this the admin endpoint of an Ambit (or Istio) ztunnel? --address takes its host:port', cause });
  }
}
