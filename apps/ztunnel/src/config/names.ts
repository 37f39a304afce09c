/**
 * The name of every ztunnel setting, written once: the flag is `--<name>` and the
 * environment variable `AMBIT_<NAME>` (dashes become underscores), as for the control plane.
 */
export const SETTING = Object.freeze({
  nodeName: 'node-name',
  xdsAddress: 'xds-address',
  xdsIdentity: 'xds-identity',
  xdsCert: 'xds-cert',
  xdsKey: 'xds-key',
  xdsTokenFile: 'xds-token-file',
  xdsRootCert: 'xds-root-cert',
  network: 'network',
  clusterDomain: 'cluster-domain',
  adminAddress: 'admin-address',
  metricsAddress: 'metrics-address',
  readinessAddress: 'readiness-address',
  socks5Port: 'socks5-port',
  drainTimeout: 'drain-timeout',
  capture: 'capture',
  podNetns: 'pod-netns',
  logLevel: 'log-level',
});

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export { envOf, flagOf } from '@ambit/process';
