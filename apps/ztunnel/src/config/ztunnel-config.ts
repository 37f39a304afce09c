import { dnsName, filePath, logLevel, Settings, type HostPort, type ValueParser } from '@ambit/process';
import type { LogLevel } from '@ambit/telemetry';
import { ConfigError } from './errors.js';
import { flagOf, SETTING, type SettingName } from './names.js';
import { captureMode, dialAddress, duration, listenAddress, network, nodeName, podNetnsTemplate, port, spiffeId, type CaptureMode } from './values.js';

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
  /**
   * PEM files of the certificate (chain, leaf first) and key ztunnel presents on the xDS
   * connection; both or neither. Without them ztunnel authenticates with its token only.
   */
  readonly xdsCertFile: string | undefined;
  readonly xdsKeyFile: string | undefined;
  /** A file holding the node's bootstrap token, sent as `authorization: Bearer` to xDS and the CA. */
  readonly xdsTokenFile: string | undefined;
  /** The mesh's root certificates: what the control plane and (over HBONE) peers are trusted by. */
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
  /**
   * `none` (local mode: per-workload listeners on the pod addresses of this host) or
   * `netns` (in-pod capture: redirect rules and listeners inside each captured pod's
   * network namespace; root).
   */
  readonly capture: CaptureMode;
  /** Where a pod's network namespace is, `{namespace}` and `{name}` replaced by the pod's (capture `netns`). */
  readonly podNetns: string;
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
  [SETTING.capture]: 'none',
  // Named namespaces (`ip netns add`) called `<namespace>.<pod>`.
  [SETTING.podNetns]: '/var/run/netns/{namespace}.{name}',
  [SETTING.logLevel]: 'info',
});

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): ZtunnelConfig {
  const settings = new Settings({ names: Object.values(SETTING), program: 'ztunnel', defaults: CONFIG_DEFAULTS, error: ConfigError, argv: input.argv, env: input.env });
  const cwd = input.cwd ?? process.cwd();
  const read = settings.read.bind(settings);
  const file = filePath(cwd);
  const optional = <T>(name: SettingName, parser: ValueParser<T>): T | undefined => (settings.has(name) ? read(name, parser) : undefined);
  const config: ZtunnelConfig = {
    nodeName: read(SETTING.nodeName, nodeName),
    xdsAddress: read(SETTING.xdsAddress, dialAddress),
    xdsIdentity: read(SETTING.xdsIdentity, spiffeId),
    xdsCertFile: optional(SETTING.xdsCert, file),
    xdsKeyFile: optional(SETTING.xdsKey, file),
    xdsTokenFile: optional(SETTING.xdsTokenFile, file),
    xdsRootCertFile: read(SETTING.xdsRootCert, file),
    network: read(SETTING.network, network),
    clusterDomain: read(SETTING.clusterDomain, dnsName),
    adminAddress: read(SETTING.adminAddress, listenAddress),
    metricsAddress: read(SETTING.metricsAddress, listenAddress),
    readinessAddress: read(SETTING.readinessAddress, listenAddress),
    socks5Port: read(SETTING.socks5Port, port),
    drainTimeoutMs: read(SETTING.drainTimeout, duration),
    capture: read(SETTING.capture, captureMode),
    podNetns: read(SETTING.podNetns, podNetnsTemplate),
    logLevel: read(SETTING.logLevel, logLevel),
  };
  checkXdsAuthentication(settings);
  return Object.freeze(config);
}

/** A certificate is useless without its key and the other way round; with neither, the token must prove the node. */
function checkXdsAuthentication(settings: Settings<SettingName>): void {
  for (const [given, missing] of [
    [SETTING.xdsCert, SETTING.xdsKey],
    [SETTING.xdsKey, SETTING.xdsCert],
  ] as const) {
    if (settings.has(given) && !settings.has(missing)) {
      const setting = settings.given(given);
      throw new ConfigError(setting.variable, setting.value, `${flagOf(missing)}=<file> with it`, `is only used with ${flagOf(missing)}`);
    }
  }
  if (!settings.has(SETTING.xdsCert) && !settings.has(SETTING.xdsTokenFile)) {
    const accepted = `${flagOf(SETTING.xdsTokenFile)}=<file>, or ${flagOf(SETTING.xdsCert)}=<file> with ${flagOf(SETTING.xdsKey)}=<file>, to authenticate to the control plane`;
    throw new ConfigError(flagOf(SETTING.xdsTokenFile), undefined, accepted, 'is required');
  }
}
