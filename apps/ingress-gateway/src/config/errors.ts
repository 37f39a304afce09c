import { AmbitError } from '@ambit/errors';

/**
 * A flag or environment variable the gateway cannot use. It names the variable exactly
 * as the user wrote it (`--node-name` or `AMBIT_NODE_NAME`), the value and what would
 * have been accepted.
 */
export class ConfigError extends AmbitError {
  /** The flag or environment variable at fault. */
  readonly variable: string;
  /** The value given; undefined when the variable itself is the problem (unknown flag, missing value or setting). */
  readonly value: string | undefined;

  constructor(variable: string, value: string | undefined, accepted: string, problem = 'is not valid') {
    const shown = value === undefined ? variable : `${variable} ${JSON.stringify(value)}`;
    super('AMBIT_ERR_GATEWAY_CONFIG', `${shown} ${problem}: expected ${accepted}`, {
      hint: 'flags override AMBIT_* environment variables, which override the defaults',
    });
    this.variable = variable;
    this.value = value;
  }
}
