import { port, PROXY_CONFIG_DEFAULTS, readProxyConfig, type ProxyConfig } from '@ambit/l7-proxy';
import { Settings } from '@ambit/process';
import { ConfigError } from './errors.js';
import { SETTING, type SettingName } from './names.js';

/**
 * Everything the waypoint is told at start, built once and frozen: every L7 proxy's
 * settings and HBONE's port. Plain data only, so that `JSON.stringify` is the dump the
 * admin port serves.
 */
export interface WaypointConfig extends ProxyConfig {
  /** HBONE inbound on the waypoint's pod IP (15008; 0 only in tests). */
  readonly hbonePort: number;
}

export interface ConfigInput {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What relative file paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

/** Defaults, written as a user would write them and read by the same parsers; absent ones are required. */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<SettingName, string>>> = Object.freeze({
  ...PROXY_CONFIG_DEFAULTS,
  [SETTING.hbonePort]: '15008',
});

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): WaypointConfig {
  const settings = new Settings({ names: Object.values(SETTING), program: 'waypoint', defaults: CONFIG_DEFAULTS, error: ConfigError, argv: input.argv, env: input.env });
  const shared = readProxyConfig(settings, input.cwd ?? process.cwd(), ConfigError);
  return Object.freeze({ ...shared, hbonePort: settings.read(SETTING.hbonePort, port) });
}
