import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';
import { envOf, flagOf, SETTING, type SettingName } from './names.js';

/** A setting's text as the user gave it, and the variable that gave it, for errors. */
export interface RawSetting {
  readonly variable: string;
  readonly value: string;
}

const NAMES: readonly SettingName[] = Object.values(SETTING);

/**
 * Collects the settings the user gave: a flag wins over its environment variable; an
 * empty environment variable counts as unset. The same rules as the control plane's
 * (apps/control-plane/src/config/raw-settings.ts), over ztunnel's names.
 */
export function readRawSettings(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Map<SettingName, RawSetting> {
  const raw = new Map<SettingName, RawSetting>();
  for (const name of NAMES) {
    const value = env[envOf(name)];
    if (value !== undefined && value !== '') raw.set(name, { variable: envOf(name), value });
  }
  const options = Object.fromEntries(NAMES.map((name) => [name, { type: 'string' as const }]));
  // Non-strict so that each mistake is reported with the flag it is about.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new ConfigError('argument', token.value, 'only flags, written --name=value or --name value', 'is not a flag');
    const name = NAMES.find((n) => n === token.name);
    if (name === undefined) throw new ConfigError(token.rawName, undefined, `one of ${NAMES.map(flagOf).join(', ')}`, 'is not a ztunnel flag');
    // `--a --b x` would otherwise read "--b" as the value of --a; no setting starts with "-".
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new ConfigError(token.rawName, undefined, `${token.rawName}=<value> or ${token.rawName} <value>`, 'needs a value');
    }
    raw.set(name, { variable: flagOf(name), value: token.value });
  }
  return raw;
}
