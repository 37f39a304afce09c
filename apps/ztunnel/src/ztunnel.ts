import { AmbitError } from '@ambit/errors';
import { HbonePool, MeshTrust } from '@ambit/hbone';
import { errorText, formatAddress, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { CaClient } from '@ambit/xds';
import { HttpEndpoint, jsonAnswer, readiness, textAnswer, type HttpHandler, type Readiness } from '@ambit/process';
import { configDump, createMetricsRegistry, EndpointListenError } from './admin/index.js';
import { flagOf, SETTING, type HostPort, type SettingName, type ZtunnelConfig } from './config/index.js';
import { WorkloadCertificates, XdsCertificate, type CertificateSource } from './identity/index.js';
import { dialTcp, DestinationResolver, HBONE_PORT, HboneConnector, OutboundPlanner, TcpConnector, type SystemLookup } from './outbound/index.js';
import { CAPTURE, PodCapture, transparentOutbound } from './capture/index.js';
import { Inbound } from './inbound/index.js';
import { LocalListeners } from './local-listeners/index.js';
import { registerSocks5Metrics, socks5Entries } from './socks5/index.js';
import { TcpMetrics } from './telemetry/index.js';
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
/** ztunnel's fixed inbound ports on each workload address; peers dial HBONE_PORT, so they are not settings. */
const PLAINTEXT_INBOUND_PORT = 15006;
/** The pool's socket opener has no caller to abort it; its own connect timeout bounds it. */
const NEVER_ABORTED = new AbortController().signal;

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
  #listeners: LocalListeners | undefined;
  #inbound: Inbound | undefined;
  #capture: PodCapture | undefined;
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
    return this.#listeners?.addressOf('socks5', workloadUid);
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
    // In-pod capture: each captured pod's connections leave from inside its own network namespace, marked so its rules let them through.
    const capture = config.capture === 'netns' ? new PodCapture({ state: this.state, nodeName: config.nodeName, podNetns: config.podNetns, log: log.child('capture') }) : undefined;
    this.#capture = capture;
    const originOf = (ip: string | undefined): { netns: string } | undefined => {
      const source = ip === undefined ? undefined : this.state.workloads.byAddress(config.network, ip);
      const netns = source === undefined ? undefined : capture?.netnsOf(source);
      return netns === undefined ? undefined : { netns };
    };
    this.#pool = new HbonePool({
      trust,
      clientCertificate: (identity) => workloads.forIdentity(identity.toString()),
      ...(capture === undefined
        ? {}
        : {
            openSocket: ({ hboneAddress, sourceIp, timeoutMs }) => {
              const origin = originOf(sourceIp);
              return origin === undefined ? undefined : dialTcp(hboneAddress, timeoutMs, NEVER_ABORTED, origin);
            },
          }),
    });
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
    const tcpMetrics = new TcpMetrics(registry);
    // The inbound asks the listener set (made next, read only once connections arrive) whether a target is one of its own listeners.
    const inbound: Inbound = new Inbound({
      state: this.state,
      nodeName: config.nodeName,
      network: config.network,
      metrics: tcpMetrics,
      log: log.child('inbound'),
      isOwnAddress: (ip, port) => listeners.owns(ip, port),
    });
    this.#inbound = inbound;
    const outbound = {
      resolver: new DestinationResolver(this.state, { clusterDomain: config.clusterDomain, ...(this.#options.lookup === undefined ? {} : { lookup: this.#options.lookup }) }),
      planner: new OutboundPlanner(this.state),
      connector: new HboneConnector(this.#pool, new TcpConnector(capture === undefined ? {} : { origin: (source) => originOf(source.workloadIps[0]) })),
      tcpMetrics,
    };
    const inboundKinds = [inbound.hbone({ port: HBONE_PORT, trust, certificates: workloads }), inbound.plaintext({ port: PLAINTEXT_INBOUND_PORT })];
    const listeners: LocalListeners = new LocalListeners({
      state: this.state,
      nodeName: config.nodeName,
      log: log.child('local'),
      // Only workloads in the mesh (tunnel protocol HBONE), as Istio's ztunnel serves only captured pods: a waypoint
      // (dataplane-mode none) keeps its own :15008. Local mode: on this host's addresses; in-pod capture: inside each pod's namespace.
      placement:
        capture === undefined
          ? (workload) => (workload.protocol === 'HBONE' ? {} : undefined)
          : (workload) => {
              const netns = capture.netnsOf(workload);
              return netns === undefined ? undefined : { netns };
            },
      kinds:
        capture === undefined
          ? [socks5Entries({ state: this.state, port: config.socks5Port, context: { ...outbound, log: log.child('socks5'), onOutcome: registerSocks5Metrics(registry) } }), ...inboundKinds]
          : [transparentOutbound({ state: this.state, port: CAPTURE.outboundPort, ...outbound, log: log.child('outbound') }), ...inboundKinds],
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
        inbound: () => inbound.status(),
        capturedPods: () => capture?.status() ?? [],
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
    await capture?.start();
  }

  #certificateSources(): CertificateSource[] {
    return [this.#certificate, this.#workloads].filter((source) => source !== undefined);
  }

  async #release(deadline: number): Promise<void> {
    await this.#capture?.close();
    await this.#listeners?.close(deadline).catch((error: unknown) => this.#log.error('closing local listeners failed', { error: errorText(error) }));
    this.#inbound?.close();
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
