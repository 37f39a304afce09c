import { filePath, flagOf, logLevel, type HostPort, type SettingErrorConstructor, type Settings, type ValueParser } from '@ambit/process';
import type { LogLevel } from '@ambit/telemetry';
import { dialAddress, duration, ipAddress, listenAddress, network, nodeName, spiffeId, workloadUid } from './values.js';

/**
 * The settings every L7 proxy has, written once: the flag is `--<name>` and the
 * environment variable `AMBIT_<NAME>` (dashes become underscores), as for ztunnel.
 */
export const PROXY_SETTING = Object.freeze({
  nodeName: 'node-name',
  workloadUid: 'workload-uid',
  podIp: 'pod-ip',
  xdsAddress: 'xds-address',
  xdsIdentity: 'xds-identity',
  xdsTokenFile: 'xds-token-file',
  xdsRootCert: 'xds-root-cert',
  network: 'network',
  adminAddress: 'admin-address',
  metricsAddress: 'metrics-address',
  readinessAddress: 'readiness-address',
  drainTimeout: 'drain-timeout',
  logLevel: 'log-level',
});

export type ProxySettingName = (typeof PROXY_SETTING)[keyof typeof PROXY_SETTING];

/** Defaults, written as a user would write them and read by the same parsers; absent ones are required. */
export const PROXY_CONFIG_DEFAULTS: Readonly<Partial<Record<ProxySettingName, string>>> = Object.freeze({
  [PROXY_SETTING.xdsAddress]: '127.0.0.1:15012',
  [PROXY_SETTING.xdsIdentity]: 'spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
  [PROXY_SETTING.network]: '',
  // Istio's proxy ports; loopback, because in local mode ztunnels and proxies share one host.
  [PROXY_SETTING.adminAddress]: '127.0.0.1:15000',
  [PROXY_SETTING.metricsAddress]: '127.0.0.1:15020',
  [PROXY_SETTING.readinessAddress]: '127.0.0.1:15021',
  // Envoy's default drain time in Istio (terminationDrainDuration).
  [PROXY_SETTING.drainTimeout]: '5s',
  [PROXY_SETTING.logLevel]: 'info',
});

/**
 * What every L7 proxy is told at start. Plain data only (file paths, never their
 * contents), so that `JSON.stringify` is the dump the admin port serves.
 */
export interface ProxyConfig {
  /** The node the proxy's pod runs on: its token proves that node, and the CA gives a node the identities of its pods. */
  readonly nodeName: string;
  /**
   * Which Workload of the Address state is this proxy: by uid, else by pod IP (at least
   * one is given). Its identity, namespace and addresses come from that Workload.
   */
  readonly workloadUid: string | undefined;
  readonly podIp: string | undefined;
  readonly xdsAddress: HostPort;
  /** The identity the control plane's certificate must carry. */
  readonly xdsIdentity: string;
  /** The node's bootstrap token (`authorization: Bearer`): what the proxy's certificate is requested with. */
  readonly xdsTokenFile: string;
  /** The mesh's root certificates: what the control plane and HBONE peers are trusted by. */
  readonly xdsRootCertFile: string;
  readonly network: string;
  readonly adminAddress: HostPort;
  readonly metricsAddress: HostPort;
  readonly readinessAddress: HostPort;
  /** How long requests may go on after SIGTERM before connections are cut. */
  readonly drainTimeoutMs: number;
  readonly logLevel: LogLevel;
}

/**
 * Reads the shared settings from a program's Settings (which hold its own too). Throws
 * the program's error naming the first variable whose value cannot be used.
 */
export function readProxyConfig<N extends string>(settings: Settings<N | ProxySettingName>, cwd: string, error: SettingErrorConstructor): ProxyConfig {
  const read = settings.read.bind(settings);
  const file = filePath(cwd);
  const optional = <T>(name: ProxySettingName, parser: ValueParser<T>): T | undefined => (settings.has(name) ? read(name, parser) : undefined);
  const config: ProxyConfig = {
    nodeName: read(PROXY_SETTING.nodeName, nodeName),
    workloadUid: optional(PROXY_SETTING.workloadUid, workloadUid),
    podIp: optional(PROXY_SETTING.podIp, ipAddress),
    xdsAddress: read(PROXY_SETTING.xdsAddress, dialAddress),
    xdsIdentity: read(PROXY_SETTING.xdsIdentity, spiffeId),
    xdsTokenFile: read(PROXY_SETTING.xdsTokenFile, file),
    xdsRootCertFile: read(PROXY_SETTING.xdsRootCert, file),
    network: read(PROXY_SETTING.network, network),
    adminAddress: read(PROXY_SETTING.adminAddress, listenAddress),
    metricsAddress: read(PROXY_SETTING.metricsAddress, listenAddress),
    readinessAddress: read(PROXY_SETTING.readinessAddress, listenAddress),
    drainTimeoutMs: read(PROXY_SETTING.drainTimeout, duration),
    logLevel: read(PROXY_SETTING.logLevel, logLevel),
  };
  if (config.workloadUid === undefined && config.podIp === undefined) {
    const uid = flagOf(PROXY_SETTING.workloadUid);
    throw new error(uid, undefined, `${uid}=<uid> or ${flagOf(PROXY_SETTING.podIp)}=<ip>: which Workload of the mesh this proxy is`, 'is required');
  }
  return config;
}
