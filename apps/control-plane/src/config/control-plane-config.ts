import { directory, dnsName, filePath, logLevel, Settings, type HostPort as ListenAddress } from '@ambit/process';
import type { LogLevel } from '@ambit/telemetry';
import { ConfigError } from './errors.js';
import { flagOf, SETTING, type SettingName } from './names.js';
import { certificateTtl, clusterId, debounceDuration, listenAddress, namespaceName, providerKind, type ProviderKind } from './values.js';

/**
 * Everything the control plane is told at start, built once and frozen. Plain data
 * only, so that `JSON.stringify` is the dump the admin endpoint serves.
 */
export interface ControlPlaneConfig {
  /** The directory of mesh YAML the file provider watches (absolute). */
  readonly configDir: string;
  /** SPIFFE trust domain of workload identities. */
  readonly trustDomain: string;
  /** Istio's root namespace: mesh-wide policies live here. */
  readonly rootNamespace: string;
  /** DNS suffix of Kubernetes Service hostnames. */
  readonly clusterDomain: string;
  /** Prefix of workload uids and the workloads' cluster_id. */
  readonly clusterId: string;
  /** Where delta xDS and the CA are served (gRPC over TLS). */
  readonly xdsAddress: ListenAddress;
  /** Where /metrics, /ready and the debug endpoints are served (HTTP). */
  readonly adminAddress: ListenAddress;
  /** Where the CA keeps its root across restarts (absolute). */
  readonly caDir: string;
  /** Lifetime of a workload certificate when the request names none. */
  readonly workloadCertTtlMs: number;
  /** Longer requests are shortened to this. */
  readonly maxWorkloadCertTtlMs: number;
  readonly logLevel: LogLevel;
  /** Where the mesh's resources come from: the config directory, or the Kubernetes API. */
  readonly provider: ProviderKind;
  /** The kubeconfig file of the Kubernetes provider (absolute); null: in-cluster, then $KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig: string | null;
  /** The bootstrap tokens by which nodes authenticate in local mode (absolute); null: no node tokens are accepted. */
  readonly nodeTokens: string | null;
  /** How long the provider waits for changes to stop before pushing them (Istio's PILOT_DEBOUNCE_AFTER). */
  readonly debounceMs: number;
}

export interface ConfigInput {
  /** Command-line arguments without the program name (default `process.argv.slice(2)`). */
  readonly argv?: readonly string[];
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What relative directories are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

/** Defaults, written as a user would write them and read by the same parsers. */
export const CONFIG_DEFAULTS = Object.freeze({
  [SETTING.configDir]: './config',
  [SETTING.trustDomain]: 'cluster.local',
  [SETTING.rootNamespace]: 'istio-system',
  [SETTING.clusterDomain]: 'cluster.local',
  [SETTING.clusterId]: 'Kubernetes',
  [SETTING.xdsAddress]: '127.0.0.1:15012',
  [SETTING.adminAddress]: '127.0.0.1:15014',
  // Relative to the config directory: state beside the config, not inside what is watched.
  [SETTING.caDir]: '../.ambit/ca',
  // Istio's defaults (DEFAULT_WORKLOAD_CERT_TTL, MAX_WORKLOAD_CERT_TTL).
  [SETTING.workloadCertTtl]: '24h',
  [SETTING.maxWorkloadCertTtl]: '2160h',
  [SETTING.logLevel]: 'info',
  [SETTING.provider]: 'file',
  // Not a path: without the flag the Kubernetes provider finds its config itself (see ControlPlaneConfig.kubeconfig).
  [SETTING.kubeconfig]: '',
  // Not a path: without the flag no bootstrap token is accepted (nodes need a certificate).
  [SETTING.nodeTokens]: '',
  // Istio's PILOT_DEBOUNCE_AFTER: an editor's save or a rollout arrives as one push.
  [SETTING.debounce]: '100ms',
} satisfies Record<SettingName, string>);

/**
 * Builds the configuration from flags, then environment variables, then defaults.
 * Throws ConfigError naming the first variable whose value cannot be used.
 */
export function buildConfig(input: ConfigInput = {}): ControlPlaneConfig {
  const settings = new Settings({ names: Object.values(SETTING), program: 'control-plane', defaults: CONFIG_DEFAULTS, error: ConfigError, argv: input.argv, env: input.env });
  const cwd = input.cwd ?? process.cwd();
  const read = settings.read.bind(settings);
  const given = settings.given.bind(settings);

  const configDir = read(SETTING.configDir, directory(cwd));
  const maxTtlMs = read(SETTING.maxWorkloadCertTtl, certificateTtl);
  const ttlMs = read(SETTING.workloadCertTtl, certificateTtl);
  const ttlGiven = settings.has(SETTING.workloadCertTtl);
  if (ttlGiven && ttlMs > maxTtlMs) {
    const ttl = given(SETTING.workloadCertTtl);
    const max = given(SETTING.maxWorkloadCertTtl);
    throw new ConfigError(ttl.variable, ttl.value, `a duration no longer than ${max.variable} ${JSON.stringify(max.value)}`, 'is too long');
  }

  const provider = read(SETTING.provider, providerKind);
  if (settings.has(SETTING.kubeconfig) && provider !== 'kubernetes') {
    const kubeconfig = given(SETTING.kubeconfig);
    throw new ConfigError(kubeconfig.variable, kubeconfig.value, `${flagOf(SETTING.provider)} kubernetes with it`, 'is only read by the Kubernetes provider');
  }

  return Object.freeze({
    configDir,
    trustDomain: read(SETTING.trustDomain, dnsName),
    rootNamespace: read(SETTING.rootNamespace, namespaceName),
    clusterDomain: read(SETTING.clusterDomain, dnsName),
    clusterId: read(SETTING.clusterId, clusterId),
    xdsAddress: read(SETTING.xdsAddress, listenAddress),
    adminAddress: read(SETTING.adminAddress, listenAddress),
    // A given CA directory is relative to the working directory; the default, to the config directory.
    caDir: read(SETTING.caDir, directory(settings.has(SETTING.caDir) ? cwd : configDir)),
    // As the CA does: without an explicit default TTL, a smaller maximum lowers it too.
    workloadCertTtlMs: ttlGiven ? ttlMs : Math.min(ttlMs, maxTtlMs),
    maxWorkloadCertTtlMs: maxTtlMs,
    logLevel: read(SETTING.logLevel, logLevel),
    provider,
    kubeconfig: settings.has(SETTING.kubeconfig) ? read(SETTING.kubeconfig, filePath(cwd)) : null,
    nodeTokens: settings.has(SETTING.nodeTokens) ? read(SETTING.nodeTokens, filePath(cwd)) : null,
    debounceMs: read(SETTING.debounce, debounceDuration),
  });
}
