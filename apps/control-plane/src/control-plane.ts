import { AmbitError } from '@ambit/errors';
import { formatAddress, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { readiness, type Readiness } from '@ambit/process';
import { adminRoutes, AdminStage, createMetricsRegistry, logEvents, registerConfigMetrics, statusReport, syncReport } from './admin/index.js';
import { BootstrapTokens, CallerAuthentication, TokenReviewAuthenticator } from './authn/index.js';
import { CaMetrics, CaStage, CertificateService } from './ca-stage/index.js';
import type { ControlPlaneConfig, ListenAddress } from './config/index.js';
import { FileProvider, KubernetesProvider, loadKubeConfig, type FileProviderOptions, type KubernetesProviderOptions } from './provider/index.js';
import { closeRunners, startRunners, type Runner, type RunnerTimeouts, type StageCloseError } from './runner.js';
import { XdsStage } from './xds-stage/index.js';

export interface ControlPlaneOptions {
  /** Default: nothing is logged (main passes the real logger). */
  readonly log?: Logger;
  /** File provider tuning (debounce, polling); the directory comes from the config. */
  readonly provider?: Omit<FileProviderOptions, 'directory'>;
  /** Kubernetes provider tuning (debounce, retries, timeouts) with `--provider kubernetes`; the kubeconfig comes from the config. */
  readonly kubernetesProvider?: Omit<KubernetesProviderOptions, 'kubeconfig'>;
  readonly timeouts?: RunnerTimeouts;
  /** How long closing lets proxies' connections end on their own (default 5 s). */
  readonly xdsCloseGraceMs?: number;
}

/** Where the control plane actually listens: the real ports, also when 0 was asked. */
export interface ControlPlaneAddresses {
  readonly xds: ListenAddress;
  readonly admin: ListenAddress;
}

/**
 * The control plane as one object: its stages built from a config and started in
 * order — CA, node tokens (when given), provider (file or Kubernetes), xDS (model, translator, caches,
 * server, and the CA service on the same port), admin — each after the previous one is
 * ready. If one fails, those started are closed again and
 * start() rejects with the stage's typed error; no port stays bound.
 */
export class ControlPlane {
  readonly config: ControlPlaneConfig;
  readonly #log: Logger;
  readonly #ca: CaStage;
  readonly #nodeTokens: BootstrapTokens | undefined;
  readonly #provider: FileProvider | KubernetesProvider;
  readonly #xds: XdsStage;
  readonly #admin: AdminStage;
  readonly #runners: readonly Runner[];
  readonly #timeouts: RunnerTimeouts;
  readonly #started = new Set<string>();
  #stopLogging: (() => void) | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<readonly StageCloseError[]> | undefined;

  constructor(config: ControlPlaneConfig, options: ControlPlaneOptions = {}) {
    this.config = config;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#timeouts = options.timeouts ?? {};
    const metrics = createMetricsRegistry();
    this.#ca = new CaStage({
      trustDomain: config.trustDomain,
      rootNamespace: config.rootNamespace,
      caDir: config.caDir,
      defaultTtlMs: config.workloadCertTtlMs,
      maxTtlMs: config.maxWorkloadCertTtlMs,
      log: this.#log.child('ca'),
    });
    this.#nodeTokens = config.nodeTokens === null ? undefined : new BootstrapTokens(config.nodeTokens);
    const authentication = new CallerAuthentication({ trustDomain: config.trustDomain, tokens: this.#nodeTokens ?? tokenReviewer(config) });
    const provider =
      config.provider === 'kubernetes'
        ? new KubernetesProvider({ debounceMs: config.debounceMs, ...options.kubernetesProvider, kubeconfig: config.kubeconfig })
        : new FileProvider({ debounceMs: config.debounceMs, ...options.provider, directory: config.configDir });
    this.#provider = provider;
    if (provider instanceof FileProvider) registerConfigMetrics(metrics, () => provider.status().files);
    this.#xds = new XdsStage({
      address: config.xdsAddress,
      mesh: { trustDomain: config.trustDomain, rootNamespace: config.rootNamespace, clusterDomain: config.clusterDomain, clusterId: config.clusterId },
      provider: this.#provider,
      certificates: this.#ca,
      authentication,
      certificateAuthority: new CertificateService({
        ca: this.#ca,
        authentication,
        // Which workloads run on which node, from the xDS stage's current model.
        placement: { nodeRuns: (node, namespace, serviceAccount) => this.#xds.nodeRuns(node, namespace, serviceAccount) },
        trustDomain: config.trustDomain,
        metrics: new CaMetrics(metrics),
        log: this.#log.child('ca'),
      }),
      metrics,
      log: this.#log.child('xds'),
      ...(options.xdsCloseGraceMs === undefined ? {} : { closeGraceMs: options.xdsCloseGraceMs }),
    });
    this.#admin = new AdminStage({
      address: config.adminAddress,
      log: this.#log.child('admin'),
      routes: adminRoutes({
        readiness: () => this.readiness(),
        configDump: () => this.#xds.resources(),
        syncz: () => syncReport(this.#xds.syncStatus()),
        status: () =>
          statusReport({
            provider: this.#provider.status(),
            resources: this.#provider.snapshot(),
            resourceStatus: (resource) => this.#xds.resourceStatus(resource),
            translationFailure: this.#xds.translationFailure,
          }),
        config: () => this.config,
        metrics,
      }),
    });
    this.#runners = [this.#ca, ...(this.#nodeTokens === undefined ? [] : [this.#nodeTokens]), this.#provider, this.#xds, this.#admin].map((runner) => this.#tracked(runner));
  }

  /** Starts every stage in order; rejects with StageStartError (its `cause` is the stage's own typed error). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Stops every stage, the last started first; resolves with the stages that failed to close (empty when all did). */
  close(): Promise<readonly StageCloseError[]> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** The bound addresses; throws before start() has resolved. */
  get addresses(): ControlPlaneAddresses {
    const xds = this.#xds.address;
    const admin = this.#admin.address;
    if (xds === undefined || admin === undefined) throw new ControlPlaneNotListeningError();
    return { xds, admin };
  }

  /** The identity the xDS server presents, which proxies expect (`serverIdentities`). */
  get identity(): string {
    return this.#ca.identity.toString();
  }

  get ready(): boolean {
    return this.readiness().ready;
  }

  /** What `/ready` reports: config loaded, initial snapshot translated, xDS listening. */
  readiness(): Readiness {
    return readiness([
      { name: 'config', pending: () => (this.#started.has(this.#provider.name) ? undefined : `${this.config.provider === 'kubernetes' ? 'the Kubernetes API' : this.config.configDir} not loaded yet`) },
      { name: 'translator', pending: () => (this.#xds.initialSnapshotApplied ? undefined : 'initial snapshot not translated yet') },
      { name: 'xds', pending: () => (this.#xds.address === undefined ? 'xDS server not listening' : undefined) },
    ]);
  }

  async #start(): Promise<void> {
    this.#stopLogging = logEvents(this.#log);
    try {
      await startRunners(this.#runners, this.#timeouts);
    } catch (error) {
      this.#stopLogging();
      throw error;
    }
  }

  async #close(): Promise<readonly StageCloseError[]> {
    await this.#starting?.catch(() => undefined);
    const errors = await closeRunners(this.#runners, this.#timeouts);
    this.#started.clear();
    this.#stopLogging?.();
    return errors;
  }

  /** The runner as started by startRunners: records that it started and logs where it serves. */
  #tracked(runner: Runner): Runner {
    return {
      name: runner.name,
      start: async () => {
        await runner.start();
        this.#started.add(runner.name);
        this.#log.info(`${runner.name} started`, this.#whereServes(runner));
      },
      close: () => runner.close(),
    };
  }

  #whereServes(runner: Runner): Record<string, string> {
    if (runner === this.#ca) return { identity: this.identity, dir: this.config.caDir };
    if (runner === this.#nodeTokens) return { file: this.#nodeTokens.file, tokens: String(this.#nodeTokens.size) };
    if (runner === this.#provider) {
      const source: Record<string, string> = this.#provider instanceof KubernetesProvider ? { server: this.#provider.status().server ?? '' } : { dir: this.config.configDir };
      return { ...source, resources: String(this.#provider.snapshot().length) };
    }
    // Called right after the stage started, so its address is set.
    if (runner === this.#xds) return { address: formatAddress(this.#xds.address!) };
    return { address: formatAddress(this.#admin.address!) };
  }
}

/** The control plane's addresses were asked for before start() resolved or after close(). */
export class ControlPlaneNotListeningError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_CP_NOT_LISTENING', 'the control plane is not listening', { hint: 'await start() before reading its addresses' });
  }
}

/**
 * Kubernetes mode without `--node-tokens`: bearer tokens are service-account tokens,
 * reviewed by the API server the provider reads (as Istio's CA does). File mode without
 * node tokens accepts certificates only.
 */
function tokenReviewer(config: ControlPlaneConfig): TokenReviewAuthenticator | undefined {
  if (config.provider !== 'kubernetes') return undefined;
  return new TokenReviewAuthenticator({ kubeConfig: () => loadKubeConfig(config.kubeconfig), trustDomain: config.trustDomain, rootNamespace: config.rootNamespace });
}
