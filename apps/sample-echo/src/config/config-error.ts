import { AmbitError } from '@ambit/errors';

/**
 * A flag the sample echo app cannot use: it names the flag as the user wrote it, the
 * value and what would have been accepted, as the other Ambit programs do.
 */
export class ConfigError extends AmbitError {
  /** The flag at fault. */
  readonly variable: string;
  /** The value given; undefined when the flag itself is the problem (unknown, missing). */
  readonly value: string | undefined;

  constructor(variable: string, value: string | undefined, accepted: string, problem = 'is not valid') {
    const shown = value === undefined ? variable : `${variable} ${JSON.stringify(value)}`;
    super('AMBIT_ERR_SAMPLE_CONFIG', `${shown} ${problem}: expected ${accepted}`, {
      hint: 'usage: sample-echo --listen <ip:port> [--listen <ip:port>…] --pod <name> --namespace <ns> --version <v> --app <app> [--log-level <level>]',
    });
    this.variable = variable;
    this.value = value;
  }
}
