import { flagOf } from './names.js';
import { readRawSettings, type Environment, type RawSetting, type RawSettingsInput } from './raw-settings.js';
import type { SettingErrorConstructor } from './setting-error.js';
import type { ValueParser } from './value-parser.js';

export interface SettingsInput<N extends string> extends Omit<RawSettingsInput<N>, 'argv' | 'env'> {
  /** Default `process.argv.slice(2)`. */
  readonly argv?: readonly string[] | undefined;
  /** Default `process.env`. */
  readonly env?: Environment | undefined;
  /** Defaults, written as a user would write them and read by the same parsers; absent ones are required. */
  readonly defaults: Readonly<Partial<Record<N, string>>>;
}

/**
 * A program's settings: flags, then environment variables, then defaults. Every value
 * is read through a ValueParser, and a value that cannot be used throws the program's
 * own error naming the flag or variable that gave it (or "the default --name").
 */
export class Settings<N extends string> {
  readonly #raw: ReadonlyMap<N, RawSetting>;
  readonly #defaults: Readonly<Partial<Record<N, string>>>;
  readonly #error: SettingErrorConstructor;

  constructor(input: SettingsInput<N>) {
    this.#raw = readRawSettings({ ...input, argv: input.argv ?? process.argv.slice(2), env: input.env ?? process.env });
    this.#defaults = input.defaults;
    this.#error = input.error;
  }

  /** Whether the user gave the setting (a flag or a non-empty variable), rather than its default. */
  has(name: N): boolean {
    return this.#raw.has(name);
  }

  /** The setting's text and where it came from; throws when it is required and not given. */
  given(name: N): RawSetting {
    const setting = this.#raw.get(name);
    if (setting !== undefined) return setting;
    const fallback = this.#defaults[name];
    if (fallback === undefined) throw new this.#error(flagOf(name), undefined, `${flagOf(name)}=<value> (or its AMBIT_* variable)`, 'is required');
    return { variable: `the default ${flagOf(name)}`, value: fallback };
  }

  read<T>(name: N, parser: ValueParser<T>): T {
    const setting = this.given(name);
    const value = parser.parse(setting.value);
    if (value === undefined) throw new this.#error(setting.variable, setting.value, parser.accepts);
    return value;
  }
}
