/**
 * The name of every waypoint setting, written once: the flag is `--<name>` and the
 * environment variable `AMBIT_<NAME>` (dashes become underscores), as for ztunnel.
 */
export const SETTING = Object.freeze({
  nodeName: 'node-name',
  workloadUid: 'workload-uid',
  podIp: 'pod-ip',
  xdsAddress: 'xds-address',
  xdsIdentity: 'xds-identity',
  xdsTokenFile: 'xds-token-file',
  xdsRootCert: 'xds-root-cert',
  network: 'network',
  hbonePort: 'hbone-port',
  adminAddress: 'admin-address',
  metricsAddress: 'metrics-address',
  readinessAddress: 'readiness-address',
  drainTimeout: 'drain-timeout',
  logLevel: 'log-level',
});

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export { envOf, flagOf } from '@ambit/process';
