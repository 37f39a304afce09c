import type { LogLevel } from '@ambit/telemetry';
import { ConfigError } from './errors.js';
import { flagOf, SETTING, type SettingName } from './names.js';
import { readRawSettings, type RawSetting } from './raw-settings.js';
import { dialAddress, dnsName, duration, file, hostPort, logLevel, network, nodeName, port, spiffeId, type HostPort, type ValueParser } from './values.js';

/**
 * Everything ztunnel is told at start, built once and frozen. Plain data only (file
 * paths, never their contents), so that `JSON.stringify` is the dump the admin port serves.
 */
export interface ZtunnelConfig {
  /** The node this ztunnel serves: workloads whose `node` is this name are local. */
  readonly nodeName: string;
  /** The control plane's xDS address (gRPC over TLS). */
  readonly xdsAddress: HostPort;
  /** The identity the control plane's certificate must carry. */
  readonly xdsIdentity: string;
  /** PEM files of the certificate (chain, leaf first), key and trust bundle ztunnel presents and trusts on the xDS connection. */
  readonly xdsCertFile: string;
  readonly xdsKeyFile: string;
  readonly xdsRootCertFile: string;
  /** The network of this node's workloads: addresses are looked up as (network, IP). */
  readonly network: string;
  /** DNS suffix of Kubernetes Service hostnames, for short names given to SOCKS5. */
  readonly clusterDomain: string;
  readonly adminAddress: HostPort;
  readonly metricsAddress: HostPort;
  readonly readinessAddress: HostPort;
  /** The SOCKS5 port opened on each local workload's address (local mode). */
  readonly socks5Port: number;
  /** How long connections may go on after SIGTERM before they are cut. */
  readonly drainTimeoutMs: number;
  readonly logLevel: LogLevel;
}

export interface ConfigInput {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What relative file paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

/** Defaults, written as a user would write them and read by the same parsers; absent ones are required. */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<SettingName, string>>> = Object.freeze({
  [SETTING.xdsAddress]: '127.0.0.1:15012',
  [SETTING.xdsIdentity]: 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
  [SETTING.network]: '',
  [SETTING.clusterDomain]: 'cluster.local',
  // Istio's ports; loopback, because in local mode several ztunnels share one host.
  [SETTING.adminAddress]: '127.0.0.1:15000',
  [SETTING.metricsAddress]: '127.0.0.1:15020',
  [SETTING.readinessAddress]: '127.0.0.1:15021',
  [SETTING.socks5Port]: '15080',
  // ztunnel's default termination grace.
  [SETTING.drainTimeout]: '5s',
  [SETTING.logLevel]: 'info',
});

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): ZtunnelConfig {
  const raw = readRawSettings(input.argv ?? process.argv.slice(2), input.env ?? process.env);
  const cwd = input.cwd ?? process.cwd();
  const given = (name: SettingName): RawSetting => {
    const setting = raw.get(name);
    if (setting !== undefined) return setting;
    const fallback = CONFIG_DEFAULTS[name];
    if (fallback === undefined) throw new ConfigError(flagOf(name), undefined, `${flagOf(name)}=<value> (or its AMBIT_* variable)`, 'is required');
    return { variable: `the default ${flagOf(name)}`, value: fallback };
  };
  const read = <T>(name: SettingName, parser: ValueParser<T>): T => {
    const setting = given(name);
    const value = parser.parse(setting.value);
    if (value === undefined) throw new ConfigError(setting.variable, setting.value, parser.accepts);
    return value;
  };
  return Object.freeze({
    nodeName: read(SETTING.nodeName, nodeName),
    xdsAddress: read(SETTING.xdsAddress, dialAddress),
    xdsIdentity: read(SETTING.xdsIdentity, spiffeId),
    xdsCertFile: read(SETTING.xdsCert, file(cwd)),
    xdsKeyFile: read(SETTING.xdsKey, file(cwd)),
    xdsRootCertFile: read(SETTING.xdsRootCert, file(cwd)),
    network: read(SETTING.network, network),
    clusterDomain: read(SETTING.clusterDomain, dnsName),
    adminAddress: read(SETTING.adminAddress, hostPort),
    metricsAddress: read(SETTING.metricsAddress, hostPort),
    readinessAddress: read(SETTING.readinessAddress, hostPort),
    socks5Port: read(SETTING.socks5Port, port),
    drainTimeoutMs: read(SETTING.drainTimeout, duration),
    logLevel: read(SETTING.logLevel, logLevel),
  });
}
