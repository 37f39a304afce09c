/**
 * The name of every control-plane setting. Each name is written once: the flag is
 * `--<name>` and the environment variable `AMBIT_<NAME>` (dashes become underscores),
 * so the two can never drift apart.
 */
export const SETTING = Object.freeze({
  configDir: 'config-dir',
  trustDomain: 'trust-domain',
  rootNamespace: 'root-namespace',
  clusterDomain: 'cluster-domain',
  clusterId: 'cluster-id',
  xdsAddress: 'xds-address',
  adminAddress: 'admin-address',
  caDir: 'ca-dir',
  workloadCertTtl: 'workload-cert-ttl',
  maxWorkloadCertTtl: 'max-workload-cert-ttl',
  logLevel: 'log-level',
  debounce: 'debounce',
  provider: 'provider',
  kubeconfig: 'kubeconfig',
  nodeTokens: 'node-tokens',
});

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export { envOf, flagOf } from '@ambit/process';
