import { SpiffeId } from '@ambit/crypto';
import { HbonePool, MeshTrust } from '@ambit/hbone';
import { flagOf, HttpEndpoint, jsonAnswer, readiness, textAnswer, type HostPort, type HttpHandler, type Readiness } from '@ambit/process';
import { errorText, formatAddress, SILENT_LOGGER, type Logger } from '@ambit/telemetry';
import { CaClient, XdsClientCredentials } from '@ambit/xds';
import type { Registry } from 'prom-client';
import { configDump, createMetricsRegistry, EndpointListenError } from '../admin/index.js';
import { ProxyAuthorization } from '../authz/index.js';
import { PROXY_SETTING, type ProxyConfig, type ProxySettingName } from '../config/index.js';
import { createEngine, type EngineFactory, type RequestEngine } from '../engine/index.js';
import { OwnCertificate, readRootCerts, readToken } from '../identity/index.js';
import { MeshState, type MeshView, type RouteTableRules, type Workload } from '../state/index.js';
import { RequestMetrics, type Reporter } from '../telemetry/index.js';
import { HboneUpstream, StateEndpoints } from '../upstream/index.js';
import { discoverOwnWorkload, proxyMetadata, XdsAdapter, type L7Watch, type ProxyRole } from '../xds/index.js';
import { ProxyAddressError, ProxyClosedError, ProxyNotListeningError } from './errors.js';

/** What a proxy serves traffic with once it knows who it is: the waypoint's HBONE inbound, the gateway's listeners. */
export interface ProxyFront {
  /** Why it does not serve yet (undefined once it does). */
  pending(): string | undefined;
  /** Its sections of `/config_dump`. */
  dump(): Readonly<Record<string, unknown>>;
  /** Stops accepting, lets requests finish until `deadline`, then cuts what is left. */
  close(deadline: number): Promise<void>;
}

/** What a front is started with. */
export interface ProxyContext {
  readonly state: MeshView;
  /** The proxy's own Workload and the address it listens on (`--pod-ip`, else the Workload's first). */
  readonly workload: Workload;
  readonly podIp: string;
  readonly trust: MeshTrust;
  readonly certificate: OwnCertificate;
  readonly engine: RequestEngine;
  readonly log: Logger;
}

/** What makes a proxy a waypoint or a gateway. */
export interface ProxyDefinition<F extends ProxyFront> {
  /** The program's name in logs and errors (`waypoint`, `ingress-gateway`). */
  readonly program: string;
  /** The role its xDS streams state, and what it watches besides Address (with Authorization, requests are authorized). */
  readonly role: ProxyRole;
  readonly watch: readonly L7Watch[];
  readonly routeTables: RouteTableRules;
  readonly reporter: Reporter;
  /** Reach services that use a waypoint through it (a gateway) rather than their workloads. */
  readonly viaWaypoint: boolean;
  /** The prefix of the state-size gauges (`ambit_waypoint`). */
  readonly metricsPrefix: string;
  /** The readiness line of the front (`hbone`, `listeners`). */
  readonly frontName: string;
  readonly front: (context: ProxyContext) => Promise<F>;
}

export interface ProxyOptions {
  /** Default: nothing is logged (main passes the real logger). */
  readonly log?: Logger;
  /** The L7 engine (default: libs/l7's); tests may give their own. */
  readonly engine?: EngineFactory;
  /** xDS reconnect and certificate retry backoff (tests shorten them). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** Where a proxy's endpoints listen: the real ports, also when 0 was asked. */
export interface ProxyAddresses {
  readonly admin: HostPort;
  readonly metrics: HostPort;
  readonly readiness: HostPort;
}

/**
 * One L7 proxy's lifecycle, the same for a waypoint and a gateway. Start-up: bind the
 * admin, metrics and readiness endpoints; read the mesh roots and the node's token;
 * learn who the proxy is from its own Workload (an Address-only xDS stream with the
 * token); obtain that identity's certificate from the CA with the token (the node may
 * have the identities of its pods); then open the proxy's own xDS stream with that
 * certificate and its role (Address and its L7 resources), and start its front, every
 * request going through the engine and upstream over HBONE with the proxy's identity.
 * Everything after the endpoints continues in the background; readiness says what is
 * pending. close() drains.
 */
export class L7Proxy<F extends ProxyFront> {
  readonly config: ProxyConfig;
  readonly state: MeshView;
  readonly #definition: ProxyDefinition<F>;
  readonly #options: ProxyOptions;
  readonly #log: Logger;
  readonly #stopping = new AbortController();
  readonly #endpoints: HttpEndpoint[] = [];
  readonly #state: MeshState;
  readonly #registry: Registry;
  #engine: RequestEngine | undefined;
  #workload: Workload | undefined;
  #certificate: OwnCertificate | undefined;
  #ca: CaClient | undefined;
  #xds: XdsAdapter | undefined;
  #pool: HbonePool | undefined;
  #front: F | undefined;
  /** Why the background start-up stopped, if it did. */
  #failure: Error | undefined;
  #running: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(config: ProxyConfig, definition: ProxyDefinition<F>, options: ProxyOptions = {}) {
    this.config = config;
    this.#definition = definition;
    this.#options = options;
    this.#log = options.log ?? SILENT_LOGGER;
    // The engine checks every candidate set of route tables and clusters; one it refuses is NACKed.
    this.#state = new MeshState({ routeTables: definition.routeTables, check: (candidate) => this.#engine?.update({ ...candidate, endpoints: this.#endpointsResolver() }) });
    this.state = this.#state.view;
    this.#registry = createMetricsRegistry(this.state, definition.metricsPrefix, definition.program);
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new ProxyClosedError(this.#definition.program));
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

  get addresses(): ProxyAddresses {
    const [admin, metrics, ready] = this.#endpoints.map((endpoint) => endpoint.address);
    if (admin === undefined || metrics === undefined || ready === undefined) throw new ProxyNotListeningError(this.#definition.program);
    return { admin, metrics, readiness: ready };
  }

  /** The front, once the proxy knows who it is and started it. */
  get front(): F | undefined {
    return this.#front;
  }

  /** The proxy's own Workload, once found. */
  get workload(): Workload | undefined {
    return this.#workload;
  }

  /** What `/healthz/ready` reports: own workload known, certificate held, xDS synced, front serving. */
  readiness(): Readiness {
    const failed = (): string | undefined => (this.#failure === undefined ? undefined : `start-up failed: ${this.#failure.message}`);
    return readiness([
      { name: 'workload', pending: () => failed() ?? (this.#workload === undefined ? `waiting for the ${this.#definition.program}'s own Workload (${this.#ownWorkloadKey()}) over xDS` : undefined) },
      { name: 'certificate', pending: () => failed() ?? (this.#certificate === undefined ? 'not requested yet' : this.#certificate.pending()) },
      { name: 'xds', pending: () => failed() ?? (this.#xds === undefined ? 'not started' : this.#xds.pending()) },
      { name: this.#definition.frontName, pending: () => failed() ?? (this.#front === undefined ? 'not bound yet' : this.#front.pending()) },
    ]);
  }

  async #start(): Promise<void> {
    const config = this.config;
    const program = this.#definition.program;
    const endpoint = (name: string, address: HostPort, setting: ProxySettingName, routes: [string, HttpHandler][]): HttpEndpoint =>
      new HttpEndpoint({ name, address, log: this.#log, program, routes: new Map(routes), listenError: (shown, cause) => new EndpointListenError(name, shown, flagOf(setting), cause) });
    const ready = (): ReturnType<typeof textAnswer> => {
      const { ready: ok, lines } = this.readiness();
      return textAnswer(ok ? 200 : 503, `${lines.join('\n')}\n`);
    };
    this.#endpoints.push(
      endpoint('admin', config.adminAddress, PROXY_SETTING.adminAddress, [['/config_dump', () => jsonAnswer(this.#dump())]]),
      endpoint('metrics', config.metricsAddress, PROXY_SETTING.metricsAddress, [['/metrics', async () => ({ status: 200, contentType: this.#registry.contentType, body: await this.#registry.metrics() })]]),
      endpoint('readiness', config.readinessAddress, PROXY_SETTING.readinessAddress, [['/healthz/ready', ready]]),
    );
    // Every port known at start is bound before anything is served, so a conflict fails start-up.
    for (const each of this.#endpoints) await each.listen();
    const [roots, token] = await Promise.all([readRootCerts(config.xdsRootCertFile), readToken(config.xdsTokenFile)]);
    this.#running = this.#run(roots, token).catch((error: unknown) => {
      if (this.#stopping.signal.aborted) return;
      this.#failure = error instanceof Error ? error : new Error(String(error));
      this.#log.error(`${program} start-up failed; not serving`, { error: errorText(error) });
    });
  }

  /** The background part of start-up (see the class comment). */
  async #run(roots: string, token: string): Promise<void> {
    const { config } = this;
    const definition = this.#definition;
    const log = this.#log;
    const backoff = this.#options.backoff;
    const target = formatAddress(config.xdsAddress);
    const serverIdentities = [config.xdsIdentity];
    const nodeCredentials = new XdsClientCredentials({ trustBundle: roots, serverIdentities, bearerToken: token });
    const userAgent = `ambit-${definition.program}`;
    const workload = await discoverOwnWorkload({
      address: config.xdsAddress,
      credentials: nodeCredentials,
      nodeName: config.nodeName,
      role: definition.role,
      userAgent,
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
    if (podIp === undefined) throw new ProxyAddressError(definition.program, workload.uid);
    log.info(`${definition.program} workload found`, { uid: workload.uid, identity: workload.identity, address: podIp });

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
    const authorization = definition.watch.includes('Authorization') ? new ProxyAuthorization(log.child('authz')) : undefined;
    const engine = (this.#options.engine ?? createEngine)({
      upstream: new HboneUpstream(pool, this.state, identity),
      log: log.child('engine'),
      metrics: new RequestMetrics({ registry: this.#registry, state: this.state, network: config.network, reporter: definition.reporter, self: () => this.#workload }),
      ...(authorization === undefined ? {} : { authorize: authorization.authorize }),
    });
    this.#engine = engine;
    engine.update({ routeTables: this.state.routeTables, clusters: this.state.clusters, endpoints: this.#endpointsResolver() });
    this.#xds = new XdsAdapter({
      address: config.xdsAddress,
      credentials,
      nodeId: `${definition.role}~${podIp}~${workload.namespace}/${identity.serviceAccount}`,
      metadata: proxyMetadata(definition.role, config.nodeName),
      state: this.#state,
      ...(authorization === undefined ? {} : { authorization }),
      watch: definition.watch,
      userAgent,
      log: log.child('xds'),
      ...(backoff === undefined ? {} : { backoff }),
    });
    this.#xds.start();
    this.#front = await definition.front({ state: this.state, workload, podIp, trust, certificate, engine, log });
  }

  #endpointsResolver(): StateEndpoints {
    return new StateEndpoints(this.state, { network: this.config.network, viaWaypoint: this.#definition.viaWaypoint });
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
      front: this.#front?.dump() ?? {},
    });
  }

  async #release(deadline: number): Promise<void> {
    this.#stopping.abort(new ProxyClosedError(this.#definition.program));
    await this.#running;
    await this.#front?.close(deadline).catch((error: unknown) => this.#log.error(`closing the ${this.#definition.frontName} front failed`, { error: errorText(error) }));
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
