import { parseArgs } from 'node:util';
import { envOf, flagOf } from './names.js';
import type { SettingErrorConstructor } from './setting-error.js';

/** A setting's text as the user gave it, and the variable that gave it, for errors. */
export interface RawSetting {
  readonly variable: string;
  readonly value: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface RawSettingsInput<N extends string> {
  /** Every setting the program knows. */
  readonly names: readonly N[];
  /** Command-line arguments without the program name. */
  readonly argv: readonly string[];
  readonly env: Environment;
  /** The program, for "is not a <program> flag". */
  readonly program: string;
  readonly error: SettingErrorConstructor;
}

/**
 * Collects the settings the user gave: a flag wins over its environment variable.
 * An environment variable set to the empty string counts as unset (the shell idiom
 * `AMBIT_X= cmd`); an empty flag value is given and is checked like any other.
 */
export function readRawSettings<N extends string>(input: RawSettingsInput<N>): Map<N, RawSetting> {
  const raw = new Map<N, RawSetting>();
  for (const name of input.names) {
    const value = input.env[envOf(name)];
    if (value !== undefined && value !== '') raw.set(name, { variable: envOf(name), value });
  }
  for (const [name, value] of readFlags(input)) raw.set(name, { variable: flagOf(name), value });
  return raw;
}

// parseArgs runs non-strict so that each mistake can be reported with the flag it is
// about; strict mode throws one generic TypeError. A repeated flag: the last one wins.
function readFlags<N extends string>({ names, argv, program, error: SettingError }: RawSettingsInput<N>): Map<N, string> {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags = new Map<N, string>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new SettingError('argument', token.value, 'only flags, written --name=value or --name value', 'is not a flag');
    }
    const name = names.find((n) => n === token.name);
    if (name === undefined) {
      throw new SettingError(token.rawName, undefined, `one of ${names.map(flagOf).join(', ')}`, `is not a ${program} flag`);
    }
    // `--a --b x` would otherwise read "--b" as the value of --a; no setting starts with "-".
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new SettingError(token.rawName, undefined, `${token.rawName}=<value> or ${token.rawName} <value>`, 'needs a value');
    }
    flags.set(name, token.value);
  }
  return flags;
}
