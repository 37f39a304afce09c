import { AmbitError } from '@ambit/errors';

/**
 * A flag or environment variable the control plane cannot use. It names the variable
 * exactly as the user wrote it (`--trust-domain` or `AMBIT_TRUST_DOMAIN`), the value,
 * and what would have been accepted, so that the fix needs no look-up.
 */
export class ConfigError extends AmbitError {
  /** The flag (`--trust-domain`) or environment variable (`AMBIT_TRUST_DOMAIN`) at fault. */
  readonly variable: string;
  /** The value given; undefined when the variable itself is the problem (unknown flag, missing value). */
  readonly value: string | undefined;

  constructor(variable: string, value: string | undefined, accepted: string, problem = 'is not valid') {
    const shown = value === undefined ? variable : `${variable} ${JSON.stringify(value)}`;
    super('AMBIT_ERR_CP_CONFIG', `${shown} ${problem}: expected ${accepted}`, {
      hint: 'flags override AMBIT_* environment variables, which override the defaults',
    });
    this.variable = variable;
    this.value = value;
  }
}
