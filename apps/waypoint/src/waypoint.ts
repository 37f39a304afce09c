import { SpiffeId } from '@ambit/crypto';
import { AmbitError } from '@ambit/errors';
import { HbonePool, MeshTrust } from '@ambit/hbone';
import { HttpEndpoint, jsonAnswer, readiness, textAnswer, type HttpHandler, type Readiness } from '@ambit/process';
import { errorText, formatAddress, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import { configDump, createMetricsRegistry, EndpointListenError } from './admin/index.js';
import { flagOf, SETTING, type HostPort, type SettingName, type WaypointConfig } from './config/index.js';
import { createEngine, type EngineFactory, type RequestEngine } from './engine/index.js';
import { OwnCertificate, readRootCerts, readToken } from './identity/index.js';
import { HboneInbound, type HboneInboundTuning } from './inbound/index.js';
import { MeshState, type MeshView, type Workload } from './state/index.js';
import { RequestMetrics } from './telemetry/index.js';
import { HboneUpstream, StateEndpoints } from './upstream/index.js';
import { discoverOwnWorkload, waypointMetadata, XdsAdapter } from './xds/index.js';

export interface WaypointOptions {
  /** Default: nothing is logged (main passes the real logger). */
  readonly log?: Logger;
  /** The L7 engine (default: libs/l7's); tests may give their own. */
  readonly engine?: EngineFactory;
  /** xDS reconnect and certificate retry backoff (tests shorten them). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** HBONE server limits and timeouts (tests shorten them). */
  readonly hbone?: HboneInboundTuning;
}

/** Where the waypoint's endpoints listen: the real ports, also when 0 was asked. */
export interface WaypointAddresses {
  readonly admin: HostPort;
  readonly metrics: HostPort;
  readonly readiness: HostPort;
}

/**
 * One waypoint. Start-up: bind the admin, metrics and readiness endpoints; read the
 * mesh roots and the node's token; learn who the waypoint is from its own Workload (an
 * Address-only xDS stream with the token); obtain that identity's certificate from the
 * CA with the token (the node may have the identities of its pods); then open the
 * waypoint's own xDS stream with that certificate (`role: waypoint`: Address, its route
 * tables and their clusters), serve HBONE on the pod IP and route every request through
 * the engine, upstream over HBONE with the waypoint's identity. Everything after the
 * endpoints continues in the background; readiness says what is pending. close() drains.
 */
export class Waypoint {
  readonly config: WaypointConfig;
  readonly state: MeshView;
  readonly #options: WaypointOptions;
  readonly #log: Logger;
  readonly #stopping = new AbortController();
  readonly #endpoints: HttpEndpoint[] = [];
  readonly #state: MeshState;
  readonly #registry;
  #engine: RequestEngine | undefined;
  #workload: Workload | undefined;
  #certificate: OwnCertificate | undefined;
  #ca: CaClient | undefined;
  #xds: XdsAdapter | undefined;
  #pool: HbonePool | undefined;
  #inbound: HboneInbound | undefined;
  /** Why the background start-up stopped, if it did. */
  #failure: Error | undefined;
  #running: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(config: WaypointConfig, options: WaypointOptions = {}) {
    this.config = config;
    this.#options = options;
    this.#log = options.log ?? SILENT_LOGGER;
    // The engine checks every candidate set of route tables and clusters; one it refuses is NACKed.
    this.#state = new MeshState((candidate) => this.#engine?.update({ ...candidate, endpoints: new StateEndpoints(this.state) }));
    this.state = this.#state.view;
    this.#registry = createMetricsRegistry(this.state);
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new WaypointClosedError());
    this.#starting ??= this.#start().catch(async (error: unknown) => {
      await this.#release(Date.now());
      throw error;
    });
    return this.#starting;
  }

  /** Stops accepting, lets requests finish until the drain timeout, then stops xDS, the CA client and the endpoints. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => undefined);
      await this.#release(Date.now() + this.config.drainTimeoutMs);
    })();
    return this.#closing;
  }

  get addresses(): WaypointAddresses {
    const [admin, metrics, ready] = this.#endpoints.map((endpoint) => endpoint.address);
    if (admin === undefined || metrics === undefined || ready === undefined) throw new WaypointNotListeningError();
    return { admin, metrics, readiness: ready };
  }

  /** Where HBONE is served, once the waypoint knows its address and has bound it. */
  get hboneAddress(): HostPort | undefined {
    return this.#inbound?.address;
  }

  /** What `/healthz/ready` reports: own workload known, certificate held, xDS synced, HBONE bound. */
  readiness(): Readiness {
    const failed = (): string | undefined => (this.#failure === undefined ? undefined : `start-up failed: ${this.#failure.message}`);
    return readiness([
      { name: 'workload', pending: () => failed() ?? (this.#workload === undefined ? `waiting for the waypoint's own Workload (${this.#ownWorkloadKey()}) over xDS` : undefined) },
      { name: 'certificate', pending: () => failed() ?? (this.#certificate === undefined ? 'not requested yet' : this.#certificate.pending()) },
      { name: 'xds', pending: () => failed() ?? (this.#xds === undefined ? 'not started' : this.#xds.pending()) },
      { name: 'hbone', pending: () => failed() ?? (this.#inbound?.address === undefined ? 'not bound yet' : undefined) },
    ]);
  }

  async #start(): Promise<void> {
    const config = this.config;
    const endpoint = (name: string, address: HostPort, setting: SettingName, routes: [string, HttpHandler][]): HttpEndpoint =>
      new HttpEndpoint({ name, address, log: this.#log, program: 'waypoint', routes: new Map(routes), listenError: (shown, cause) => new EndpointListenError(name, shown, flagOf(setting), cause) });
    const ready = (): ReturnType<typeof textAnswer> => {
      const { ready: ok, lines } = this.readiness();
      return textAnswer(ok ? 200 : 503, `${lines.join('\n')}\n`);
    };
    this.#endpoints.push(
      endpoint('admin', config.adminAddress, SETTING.adminAddress, [['/config_dump', () => jsonAnswer(this.#dump())]]),
      endpoint('metrics', config.metricsAddress, SETTING.metricsAddress, [['/metrics', async () => ({ status: 200, contentType: this.#registry.contentType, body: await this.#registry.metrics() })]]),
      endpoint('readiness', config.readinessAddress, SETTING.readinessAddress, [['/healthz/ready', ready]]),
    );
    // Every port known at start is bound before anything is served, so a conflict fails start-up.
    for (const each of this.#endpoints) await each.listen();
    const [roots, token] = await Promise.all([readRootCerts(config.xdsRootCertFile), readToken(config.xdsTokenFile)]);
    this.#running = this.#run(roots, token).catch((error: unknown) => {
      if (this.#stopping.signal.aborted) return;
      this.#failure = error instanceof Error ? error : new Error(String(error));
      this.#log.error('waypoint start-up failed; not serving', { error: errorText(error) });
    });
  }

  /** The background part of start-up (see the class comment). */
  async #run(roots: string, token: string): Promise<void> {
    const config = this.config;
    const log = this.#log;
    const backoff = this.#options.backoff;
    const target = formatAddress(config.xdsAddress);
    const serverIdentities = [config.xdsIdentity];
    const nodeCredentials = new XdsClientCredentials({ trustBundle: roots, serverIdentities, bearerToken: token });
    const workload = await discoverOwnWorkload({
      address: config.xdsAddress,
      credentials: nodeCredentials,
      nodeName: config.nodeName,
      network: config.network,
      workloadUid: config.workloadUid,
      podIp: config.podIp,
      log: log.child('bootstrap'),
      signal: this.#stopping.signal,
      ...(backoff === undefined ? {} : { backoff }),
    });
    this.#workload = workload;
    const identity = SpiffeId.parse(workload.identity);
    const podIp = config.podIp ?? workload.workloadIps[0];
    if (podIp === undefined) throw new WaypointAddressError(workload.uid);
    log.info('waypoint workload found', { uid: workload.uid, identity: workload.identity, address: podIp });

    const trust = new MeshTrust(roots);
    this.#ca = new CaClient({ target, credentials: nodeCredentials });
    const certificate = new OwnCertificate({ identity, ca: this.#ca, trust, log: log.child('certificate'), ...(backoff === undefined ? {} : { backoff }) });
    this.#certificate = certificate;
    await certificate.start();
    const material = (held = certificate.current()!) => ({ trustBundle: roots, serverIdentities, certChain: joinPem(held.certChain), privateKey: held.privateKey });
    const credentials = new XdsClientCredentials(material());
    certificate.onRenewed((held) => credentials.update(material(held)));

    const pool = new HbonePool({
      trust,
      clientCertificate: () => certificate.current() ?? Promise.reject(new Error(certificate.pending() ?? 'no certificate')),
    });
    this.#pool = pool;
    const engine = (this.#options.engine ?? createEngine)({
      upstream: new HboneUpstream(pool, this.state, identity),
      log: log.child('engine'),
      metrics: new RequestMetrics(this.#registry, this.state, config.network),
    });
    this.#engine = engine;
    engine.update({ routeTables: this.state.routeTables, clusters: this.state.clusters, endpoints: new StateEndpoints(this.state) });
    this.#xds = new XdsAdapter({
      address: config.xdsAddress,
      credentials,
      nodeId: `waypoint~${podIp}~${workload.namespace}/${identity.serviceAccount}`,
      metadata: waypointMetadata(config.nodeName),
      state: this.#state,
      watch: 'all',
      log: log.child('xds'),
      ...(backoff === undefined ? {} : { backoff }),
    });
    this.#xds.start();
    const inbound = new HboneInbound({ state: this.state, network: config.network, trust, certificate: () => certificate.current(), engine, log: log.child('inbound'), ...(this.#options.hbone === undefined ? {} : { server: this.#options.hbone }) });
    this.#inbound = inbound;
    await inbound.listen(podIp, config.hbonePort);
    log.info('waypoint serving HBONE', { address: formatAddress(inbound.address!), identity: workload.identity });
  }

  #ownWorkloadKey(): string {
    return this.config.workloadUid === undefined ? `pod IP ${this.config.podIp}` : `uid ${this.config.workloadUid}`;
  }

  #dump(): Record<string, unknown> {
    return configDump({
      config: this.config,
      state: this.state,
      workload: this.#workload,
      certificate: this.#certificate?.dump(),
      xds: this.#xds?.status(),
      inbound: this.#inbound?.stats(),
    });
  }

  async #release(deadline: number): Promise<void> {
    this.#stopping.abort(new WaypointClosedError());
    await this.#running;
    await this.#inbound?.close(deadline).catch((error: unknown) => this.#log.error('closing HBONE inbound failed', { error: errorText(error) }));
    await this.#pool?.close(Math.max(0, deadline - Date.now()));
    this.#certificate?.close();
    this.#ca?.close();
    this.#xds?.close();
    await Promise.all(this.#endpoints.map((endpoint) => endpoint.close()));
  }
}

function joinPem(chain: string | readonly string[]): string {
  return typeof chain === 'string' ? chain : chain.join('');
}

/** The waypoint's addresses were asked for before start() resolved or after close(). */
export class WaypointNotListeningError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_WAYPOINT_NOT_LISTENING', 'the waypoint is not listening', { hint: 'await start() before reading its addresses' });
  }
}

/** start() after close(): a closed waypoint cannot be restarted. */
export class WaypointClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_WAYPOINT_CLOSED', 'the waypoint was closed', { hint: 'create a new Waypoint to start again' });
  }
}

/** The waypoint's own Workload has no address and none was given. */
export class WaypointAddressError extends AmbitError {
  constructor(uid: string) {
    super('AMBIT_ERR_WAYPOINT_NO_ADDRESS', `the waypoint's Workload ${uid} has no address to serve HBONE on`, { hint: 'give --pod-ip, or give the waypoint Pod a status.podIP' });
  }
}
