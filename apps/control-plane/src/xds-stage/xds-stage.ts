import diagnostics_channel from 'node:diagnostics_channel';
import type { Resource } from '@ambit/config-model';
import { XDS_CHANNELS, XdsServer, XdsServerCredentials, type CertificateAuthorityHandler, type ConvergenceEvent, type NackEvent, type ProxySyncStatus, type TlsMaterial, type XdsServerLimits } from '@ambit/xds';
import type { Registry } from 'prom-client';
import type { Logger } from '@ambit/telemetry';
import type { CallerAuthentication, WorkloadPlacement } from '../authn/index.js';
import type { ServingCertificate, ServingCertificateSource } from '../ca-stage/index.js';
import type { ListenAddress } from '../config/index.js';
import type { MeshSettings, ResourceStatus } from '@ambit/mesh-model';
import type { ConfigProvider } from '../provider/index.js';
import { StageClosedError, type Runner } from '../runner.js';
import { admitCallers } from './admit.js';
import { L7Visibility, type ProxyScope } from './l7-visibility.js';
import { ConfigPipeline, type PipelineFailure } from './config-pipeline.js';
import { XdsMetrics } from './metrics.js';
import { SERVED_TYPE_URLS, XdsCaches, type AppliedByType, type CachedResource } from './xds-caches.js';

export interface XdsStageOptions {
  readonly address: ListenAddress;
  /** The mesh settings the translator compiles with. */
  readonly mesh: Partial<MeshSettings> & { readonly trustDomain: string };
  readonly provider: ConfigProvider;
  readonly certificates: ServingCertificateSource;
  /** Who may open an xDS stream: a node by its token, a workload by its mesh certificate. */
  readonly authentication: CallerAuthentication;
  /** The CA service, served on the same port. */
  readonly certificateAuthority?: CertificateAuthorityHandler;
  readonly metrics: Registry;
  readonly log: Logger;
  readonly limits?: Partial<XdsServerLimits>;
  /** How long close() lets proxies' connections end on their own (default 5 s). */
  readonly closeGraceMs?: number;
}

const DEFAULT_CLOSE_GRACE_MS = 5_000;

/**
 * The xDS stage: the provider's change batches through the translator into one
 * resource cache per type, served by the delta xDS server over TLS 1.3 (with the CA
 * service beside it when given). The initial snapshot is in the caches before the port
 * is bound, so the first proxy to connect gets the whole config; the server certificate
 * rotates in place when the CA renews it. It answers node authorization's question,
 * which identities run on which node, from the current model.
 */
export class XdsStage implements Runner, WorkloadPlacement {
  readonly name = 'xds';
  readonly #options: XdsStageOptions;
  readonly #caches = new XdsCaches();
  readonly #pipeline: ConfigPipeline;
  readonly #metrics: XdsMetrics;
  readonly #cleanups: (() => void)[] = [];
  readonly #visibility: L7Visibility;
  /** The scope of each admitted stream, by stream id (pruned after each batch). */
  readonly #scopes = new Map<string, ProxyScope>();
  #server: XdsServer | undefined;
  #address: ListenAddress | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: XdsStageOptions) {
    this.#options = options;
    this.#pipeline = new ConfigPipeline({
      settings: options.mesh,
      caches: this.#caches,
      snapshot: () => options.provider.snapshot(),
      onApplied: (applied) => {
        for (const typeUrl of applied.keys()) this.#metrics.pushed(typeUrl);
        this.#refreshScopes(applied);
      },
      log: options.log,
    });
    this.#visibility = new L7Visibility(this.#caches, (namespace, serviceAccount) => this.#pipeline.gatewayLabels(namespace, serviceAccount));
    this.#metrics = new XdsMetrics(options.metrics, {
      typeUrls: SERVED_TYPE_URLS,
      connectedProxies: () => this.#server?.syncStatus().length ?? 0,
      resourceCount: (typeUrl) => this.#caches.size(typeUrl),
    });
  }

  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new StageClosedError(this.name));
    this.#starting ??= this.#start();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** The bound address (the real port when 0 was asked); undefined until listening. */
  get address(): ListenAddress | undefined {
    return this.#address;
  }

  /** Whether the initial snapshot has been translated into the caches. */
  get initialSnapshotApplied(): boolean {
    return this.#pipeline.initialApplied;
  }

  /** The last failure to apply config, while the served resources lag behind the provider. */
  get translationFailure(): PipelineFailure | undefined {
    return this.#pipeline.failure;
  }

  /** The served resources of each type, by type URL. */
  resources(): Record<string, CachedResource[]> {
    return Object.fromEntries(SERVED_TYPE_URLS.map((typeUrl) => [typeUrl, this.#caches.list(typeUrl)]));
  }

  /** Every connected proxy and where its exchange stands, with the versions it holds. */
  syncStatus(): (ProxySyncStatus & { readonly versions: Record<string, Record<string, string>> })[] {
    const server = this.#server;
    if (server === undefined) return [];
    return server.syncStatus().map((status) => ({
      ...status,
      versions: Object.fromEntries(status.types.map((t) => [t.typeUrl, Object.fromEntries(server.resourceVersions(status.proxy.streamId, t.typeUrl) ?? [])])),
    }));
  }

  nodeRuns(node: string, namespace: string, serviceAccount: string): boolean {
    return this.#pipeline.nodeRuns(node, namespace, serviceAccount);
  }

  /** The model's status facts of an input resource. */
  resourceStatus(resource: Resource): ResourceStatus | undefined {
    return this.#pipeline.status(resource);
  }

  async #start(): Promise<void> {
    const { provider, certificates, address, authentication, certificateAuthority } = this.#options;
    // Subscribed in the same tick as the snapshot is read: nothing between them is missed.
    this.#cleanups.push(provider.subscribe((batch) => this.#pipeline.apply(batch)));
    this.#pipeline.loadInitial(provider.snapshot());

    const credentials = new XdsServerCredentials(tlsMaterial(certificates.current()));
    this.#cleanups.push(certificates.subscribe((certificate) => credentials.update(tlsMaterial(certificate))));
    this.#cleanups.push(this.#observeProxies());
    const server = new XdsServer({
      credentials,
      resources: this.#caches.all,
      admit: admitCallers(authentication, (proxy, scope) => {
        this.#scopes.set(proxy.streamId, scope);
        return this.#visibility.filter(scope);
      }),
      ...(certificateAuthority === undefined ? {} : { certificateAuthority }),
      ...(this.#options.limits === undefined ? {} : { limits: this.#options.limits }),
    });
    this.#server = server;
    const bound = await server.listen({ host: address.host, port: address.port });
    if (this.#closing !== undefined) throw new StageClosedError(this.name);
    this.#address = Object.freeze({ host: address.host, port: bound.port });
  }

  async #close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#address = undefined;
    // Wait for a start in progress, so that a port it is binding is released too.
    await this.#starting?.catch(() => undefined);
    await this.#server?.close({ graceMs: this.#options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS });
  }

  /** Re-examines what the proxies whose view a batch may have changed can see (L7 scopes only; a ztunnel's never changes). */
  #refreshScopes(applied: AppliedByType): void {
    const server = this.#server;
    for (const id of [...this.#scopes.keys()]) if (server?.hasStream(id) !== true) this.#scopes.delete(id);
    const changed = this.#visibility.changed(applied, this.#scopes.values());
    server?.refresh((proxy) => {
      const scope = this.#scopes.get(proxy.streamId);
      return scope !== undefined && changed(scope);
    });
  }

  /**
   * Counts NACKs and measures convergence from the xDS library's debug channels. The
   * channels are process-wide, so only events of this server's own streams count (tests
   * run several servers).
   */
  #observeProxies(): () => void {
    const ours = (streamId: string): boolean => this.#server?.hasStream(streamId) === true;
    const onNack = (message: unknown): void => {
      const event = message as NackEvent;
      if (ours(event.streamId)) this.#metrics.rejected(event.typeUrl);
    };
    const onConverged = (message: unknown): void => {
      const event = message as ConvergenceEvent;
      if (ours(event.streamId)) this.#metrics.converged(event.typeUrl, event.changeToAckMs);
    };
    diagnostics_channel.subscribe(XDS_CHANNELS.nack, onNack);
    diagnostics_channel.subscribe(XDS_CHANNELS.converged, onConverged);
    return () => {
      diagnostics_channel.unsubscribe(XDS_CHANNELS.nack, onNack);
      diagnostics_channel.unsubscribe(XDS_CHANNELS.converged, onConverged);
    };
  }
}

function tlsMaterial(certificate: ServingCertificate): TlsMaterial {
  return { certChain: certificate.certChain, privateKey: certificate.privateKey, trustBundle: certificate.trustBundle };
}
