import { AmbitError } from '@ambit/errors';
import { HbonePool, MeshTrust } from '@ambit/hbone';
import { errorText, formatAddress, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { CaClient } from '@ambit/xds';
import { HttpEndpoint, jsonAnswer, readiness, textAnswer, type HttpHandler, type Readiness } from '@ambit/process';
import { configDump, createMetricsRegistry, EndpointListenError } from './admin/index.js';
import { flagOf, SETTING, type HostPort, type SettingName, type ZtunnelConfig } from './config/index.js';
import { WorkloadCertificates, XdsCertificate, type CertificateSource } from './identity/index.js';
import { DestinationResolver, HboneConnector, OutboundPlanner, type SystemLookup } from './outbound/index.js';
import { LocalSocks5Listeners, registerSocks5Metrics } from './socks5/index.js';
import { ProxyState, type StateView } from './state/index.js';
import { registerXdsMetrics, XdsAdapter } from './xds/index.js';

export interface ZtunnelOptions {
  /** Default: nothing is logged (main passes the real logger). */
  readonly log?: Logger;
  /** Retry backoff of workload certificate requests (tests shorten it). */
  readonly certificateBackoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** xDS reconnect backoff (tests shorten it). */
  readonly xdsBackoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** The system resolver for names outside the mesh (tests replace it). */
  readonly lookup?: SystemLookup;
}

/** Where ztunnel's HTTP endpoints listen: the real ports, also when 0 was asked. */
export interface ZtunnelAddresses {
  readonly admin: HostPort;
  readonly metrics: HostPort;
  readonly readiness: HostPort;
}

/**
 * One ztunnel: the xDS adapter feeding the state (its single writer), the workload
 * certificates obtained from the mesh CA, the outbound path (resolver, planner, HBONE
 * connector over a pool of mutual-TLS connections) behind local SOCKS5 entries, and the
 * admin, metrics and readiness endpoints. start() binds every HTTP port before anything
 * is served and fails loudly on a conflict; close() drains.
 */
export class Ztunnel {
  readonly config: ZtunnelConfig;
  readonly state: StateView;
  readonly #options: ZtunnelOptions;
  readonly #log: Logger;
  readonly #writer = new ProxyState();
  readonly #endpoints: HttpEndpoint[] = [];
  #certificate: XdsCertificate | undefined;
  #ca: CaClient | undefined;
  #workloads: WorkloadCertificates | undefined;
  #pool: HbonePool | undefined;
  #xds: XdsAdapter | undefined;
  #listeners: LocalSocks5Listeners | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(config: ZtunnelConfig, options: ZtunnelOptions = {}) {
    this.config = config;
    this.state = this.#writer.view;
    this.#options = options;
    this.#log = options.log ?? SILENT_LOGGER;
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new ZtunnelClosedError());
    this.#starting ??= this.#start().catch(async (error: unknown) => {
      await this.#release(Date.now());
      throw error;
    });
    return this.#starting;
  }

  /** Stops accepting, lets relayed connections finish until the drain timeout, then stops xDS and the endpoints. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => undefined);
      await this.#release(Date.now() + this.config.drainTimeoutMs);
    })();
    return this.#closing;
  }

  get addresses(): ZtunnelAddresses {
    const [admin, metrics, ready] = this.#endpoints.map((endpoint) => endpoint.address);
    if (admin === undefined || metrics === undefined || ready === undefined) throw new ZtunnelNotListeningError();
    return { admin, metrics, readiness: ready };
  }

  /** The SOCKS5 entry of a local workload (local mode), once open. */
  socks5Address(workloadUid: string): HostPort | undefined {
    return this.#listeners?.addressOf(workloadUid);
  }

  /** What `/healthz/ready` reports: xDS synced, certificates loaded, endpoints bound. */
  readiness(): Readiness {
    const sources = this.#certificateSources();
    return readiness([
      { name: 'xds', pending: () => (this.#xds === undefined ? 'not started' : this.#xds.pending()) },
      ...sources.map((source) => ({ name: `certificates:${source.name}`, pending: () => source.pending() })),
      ...(sources.length === 0 ? [{ name: 'certificates', pending: () => 'not loaded yet' }] : []),
      { name: 'listeners', pending: () => (this.#endpoints.length === 3 && this.#endpoints.every((e) => e.address !== undefined) ? undefined : 'not bound yet') },
    ]);
  }

  async #start(): Promise<void> {
    const config = this.config;
    const log = this.#log;
    this.#certificate = await XdsCertificate.load({
      certFile: config.xdsCertFile,
      keyFile: config.xdsKeyFile,
      tokenFile: config.xdsTokenFile,
      rootCertFile: config.xdsRootCertFile,
      serverIdentity: config.xdsIdentity,
    });
    // The mesh roots that the control plane is trusted by are the roots every workload certificate chains to.
    const trust = new MeshTrust(this.#certificate.rootCerts);
    this.#ca = new CaClient({ target: formatAddress(config.xdsAddress), credentials: this.#certificate.credentials });
    const workloads = new WorkloadCertificates({
      ca: this.#ca,
      state: this.state,
      nodeName: config.nodeName,
      trust,
      log: log.child('certificates'),
      ...(this.#options.certificateBackoff === undefined ? {} : { backoff: this.#options.certificateBackoff }),
    });
    this.#workloads = workloads;
    this.#pool = new HbonePool({ trust, clientCertificate: (identity) => workloads.forIdentity(identity.toString()) });
    const registry = createMetricsRegistry(this.state);
    this.#xds = new XdsAdapter({
      address: config.xdsAddress,
      credentials: this.#certificate.credentials,
      nodeName: config.nodeName,
      network: config.network,
      state: this.#writer,
      metrics: registerXdsMetrics(registry),
      log: log.child('xds'),
      ...(this.#options.xdsBackoff === undefined ? {} : { backoff: this.#options.xdsBackoff }),
    });
    const listeners = new LocalSocks5Listeners({
      state: this.state,
      nodeName: config.nodeName,
      port: config.socks5Port,
      log: log.child('socks5'),
      context: {
        resolver: new DestinationResolver(this.state, { clusterDomain: config.clusterDomain, ...(this.#options.lookup === undefined ? {} : { lookup: this.#options.lookup }) }),
        planner: new OutboundPlanner(this.state),
        connector: new HboneConnector(this.#pool),
        log: log.child('socks5'),
        onOutcome: registerSocks5Metrics(registry),
      },
    });
    this.#listeners = listeners;
    const xds = this.#xds;
    const dump = () =>
      configDump({
        state: this.state,
        certificates: () => this.#certificateSources().flatMap((source) => source.dump()),
        config,
        xds: () => ({ ...xds.status(), lastError: xds.status().lastError?.message }),
        localListeners: () => listeners.status(),
      });
    const ready = (): ReturnType<typeof textAnswer> => {
      const { ready: ok, lines } = this.readiness();
      return textAnswer(ok ? 200 : 503, `${lines.join('\n')}\n`);
    };
    const endpoint = (name: string, address: HostPort, setting: SettingName, routes: [string, HttpHandler][]): HttpEndpoint =>
      new HttpEndpoint({ name, address, log, program: 'ztunnel', routes: new Map(routes), listenError: (shown, cause) => new EndpointListenError(name, shown, flagOf(setting), cause) });
    this.#endpoints.push(
      endpoint('admin', config.adminAddress, SETTING.adminAddress, [['/config_dump', () => jsonAnswer(dump())]]),
      endpoint('metrics', config.metricsAddress, SETTING.metricsAddress, [['/metrics', async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() })]]),
      endpoint('readiness', config.readinessAddress, SETTING.readinessAddress, [['/healthz/ready', ready]]),
    );
    // Every port is bound before anything is served, so a conflict fails start-up.
    for (const endpoint of this.#endpoints) await endpoint.listen();
    xds.start();
    workloads.start();
    await listeners.start();
  }

  #certificateSources(): CertificateSource[] {
    return [this.#certificate, this.#workloads].filter((source) => source !== undefined);
  }

  async #release(deadline: number): Promise<void> {
    await this.#listeners?.close(deadline).catch((error: unknown) => this.#log.error('closing SOCKS5 entries failed', { error: errorText(error) }));
    await this.#pool?.close(Math.max(0, deadline - Date.now()));
    this.#workloads?.close();
    this.#ca?.close();
    this.#xds?.close();
    await Promise.all(this.#endpoints.map((endpoint) => endpoint.close()));
  }
}

/** ztunnel's addresses were asked for before start() resolved or after close(). */
export class ZtunnelNotListeningError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_ZTUNNEL_NOT_LISTENING', 'ztunnel is not listening', { hint: 'await start() before reading its addresses' });
  }
}

/** start() after close(): a closed ztunnel cannot be restarted. */
export class ZtunnelClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_ZTUNNEL_CLOSED', 'ztunnel was closed', { hint: 'create a new Ztunnel to start again' });
  }
}
