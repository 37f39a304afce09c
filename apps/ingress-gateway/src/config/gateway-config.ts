import { PROXY_CONFIG_DEFAULTS, readProxyConfig, type ProxyConfig } from '@ambit/l7-proxy';
import { directory, Settings, type ValueParser } from '@ambit/process';
import { ConfigError } from './errors.js';
import { SETTING, type SettingName } from './names.js';

/**
 * Everything the gateway is told at start, built once and frozen: every L7 proxy's
 * settings, where the Secrets its servers name live, and how ports below 1024 are
 * served. Plain data only, so that `JSON.stringify` is the dump the admin port serves.
 */
export interface GatewayConfig extends ProxyConfig {
  /**
   * The mesh's config directory (local mode): the `kind: Secret` objects in it are the
   * credentials `credentialName` names, watched and reloaded on change. Undefined: no
   * TLS server can terminate.
   */
  readonly configDir: string | undefined;
  /** Added to every server port below 1024 (8000 unless root: 80 → 8080, as Istio's gateway pods do). */
  readonly lowPortOffset: number;
}

export interface ConfigInput {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What relative paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
  /** Whether the process may bind ports below 1024 (default: it runs as root). */
  readonly privileged?: boolean;
}

/** What Istio's gateway charts add to ports below 1024 when the gateway is not root. */
export const UNPRIVILEGED_PORT_OFFSET = 8000;

const lowPortOffset: ValueParser<number | 'auto'> = {
  accepts: 'auto (8000 unless root, else 0) or a number from 0 to 64511',
  parse: (text) => {
    if (text === 'auto') return 'auto';
    if (!/^\d{1,5}$/.test(text)) return undefined;
    const value = Number(text);
    return value <= 65535 - 1024 ? value : undefined;
  },
};

/** Defaults, written as a user would write them and read by the same parsers; absent ones are required or optional. */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<SettingName, string>>> = Object.freeze({
  ...PROXY_CONFIG_DEFAULTS,
  [SETTING.lowPortOffset]: 'auto',
});

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): GatewayConfig {
  const settings = new Settings({ names: Object.values(SETTING), program: 'ingress-gateway', defaults: CONFIG_DEFAULTS, error: ConfigError, argv: input.argv, env: input.env });
  const cwd = input.cwd ?? process.cwd();
  const shared = readProxyConfig(settings, cwd, ConfigError);
  const offset = settings.read(SETTING.lowPortOffset, lowPortOffset);
  const privileged = input.privileged ?? process.getuid?.() === 0;
  return Object.freeze({
    ...shared,
    configDir: settings.has(SETTING.configDir) ? settings.read(SETTING.configDir, directory(cwd)) : undefined,
    lowPortOffset: offset !== 'auto' ? offset : privileged ? 0 : UNPRIVILEGED_PORT_OFFSET,
  });
}

/** Where a server port is served: ports below 1024 moved up by the offset. */
export function listenPort(config: Pick<GatewayConfig, 'lowPortOffset'>, port: number): number {
  return port < 1024 ? port + config.lowPortOffset : port;
}
