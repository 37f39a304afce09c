import { filePath, logLevel, Settings, type HostPort, type ValueParser } from '@ambit/process';
import type { LogLevel } from '@ambit/telemetry';
import { ConfigError } from './errors.js';
import { flagOf, SETTING, type SettingName } from './names.js';
import { dialAddress, duration, ipAddress, listenAddress, network, nodeName, port, spiffeId, workloadUid } from './values.js';

/**
 * Everything the waypoint is told at start, built once and frozen. Plain data only (file
 * paths, never their contents), so that `JSON.stringify` is the dump the admin port serves.
 */
export interface WaypointConfig {
  /** The node the waypoint's pod runs on: its token proves that node, and the CA gives a node the identities of its pods. */
  readonly nodeName: string;
  /**
   * Which Workload of the Address state is this waypoint: by uid, else by pod IP (at
   * least one is given). Its identity, namespace and addresses come from that Workload.
   */
  readonly workloadUid: string | undefined;
  readonly podIp: string | undefined;
  readonly xdsAddress: HostPort;
  /** The identity the control plane's certificate must carry. */
  readonly xdsIdentity: string;
  /** The node's bootstrap token (`authorization: Bearer`): what the waypoint's certificate is requested with. */
  readonly xdsTokenFile: string;
  /** The mesh's root certificates: what the control plane and HBONE peers are trusted by. */
  readonly xdsRootCertFile: string;
  readonly network: string;
  /** HBONE inbound on the waypoint's pod IP (15008; 0 only in tests). */
  readonly hbonePort: number;
  readonly adminAddress: HostPort;
  readonly metricsAddress: HostPort;
  readonly readinessAddress: HostPort;
  /** How long requests may go on after SIGTERM before tunnels are cut. */
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
  [SETTING.hbonePort]: '15008',
  // Istio's proxy ports; loopback, because in local mode ztunnels and waypoints share one host.
  [SETTING.adminAddress]: '127.0.0.1:15000',
  [SETTING.metricsAddress]: '127.0.0.1:15020',
  [SETTING.readinessAddress]: '127.0.0.1:15021',
  // Envoy's default drain time in Istio (terminationDrainDuration).
  [SETTING.drainTimeout]: '5s',
  [SETTING.logLevel]: 'info',
});

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): WaypointConfig {
  const settings = new Settings({ names: Object.values(SETTING), program: 'waypoint', defaults: CONFIG_DEFAULTS, error: ConfigError, argv: input.argv, env: input.env });
  const read = settings.read.bind(settings);
  const file = filePath(input.cwd ?? process.cwd());
  const optional = <T>(name: SettingName, parser: ValueParser<T>): T | undefined => (settings.has(name) ? read(name, parser) : undefined);
  const config: WaypointConfig = {
    nodeName: read(SETTING.nodeName, nodeName),
    workloadUid: optional(SETTING.workloadUid, workloadUid),
    podIp: optional(SETTING.podIp, ipAddress),
    xdsAddress: read(SETTING.xdsAddress, dialAddress),
    xdsIdentity: read(SETTING.xdsIdentity, spiffeId),
    xdsTokenFile: read(SETTING.xdsTokenFile, file),
    xdsRootCertFile: read(SETTING.xdsRootCert, file),
    network: read(SETTING.network, network),
    hbonePort: read(SETTING.hbonePort, port),
    adminAddress: read(SETTING.adminAddress, listenAddress),
    metricsAddress: read(SETTING.metricsAddress, listenAddress),
    readinessAddress: read(SETTING.readinessAddress, listenAddress),
    drainTimeoutMs: read(SETTING.drainTimeout, duration),
    logLevel: read(SETTING.logLevel, logLevel),
  };
  if (config.workloadUid === undefined && config.podIp === undefined) {
    throw new ConfigError(flagOf(SETTING.workloadUid), undefined, `${flagOf(SETTING.workloadUid)}=<uid> or ${flagOf(SETTING.podIp)}=<ip>: which Workload of the mesh this waypoint is`, 'is required');
  }
  return Object.freeze(config);
}
