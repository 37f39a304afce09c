import { randomBytes } from 'node:crypto';
import { Server, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall } from '@grpc/grpc-js';
import type { ResourceCache } from '../cache/resource-cache.js';
import { tableOf, type ResourceTable } from '../cache/resource-table.js';
import { caServiceDefinition, CertificateService, type CertificateAuthorityHandler } from '../ca/ca-service.js';
import { ServerClosingError, TooManyStreamsError, XdsListenError, XdsOptionError, type XdsStreamError } from '../errors.js';
import { adsServiceDefinition } from '../grpc/ads-service.js';
import { bearerTokenOf } from '../tls/bearer-token.js';
import { grpcServerCredentials, type XdsServerCredentials } from '../tls/server-credentials.js';
import { peerOf } from '../tls/peer.js';
import { DeltaStream, type StreamContext } from './delta-stream.js';
import { serverLimits, type XdsServerLimits } from './limits.js';
import type { AdmitProxy, ProxyInfo } from './proxy-info.js';
import type { ProxySyncStatus } from './sync-status.js';

/** The control plane's xDS and CA port. */
export const XDS_PORT = 15012;
/** A proxy needs one stream for xDS and one for the CA; a few more cover reconnect races. */
const MAX_STREAMS_PER_CONNECTION = 16;
const DEFAULT_CLOSE_GRACE_MS = 5_000;

export interface XdsServerOptions {
  readonly credentials: XdsServerCredentials;
  /** One cache per served type URL. */
  readonly resources: readonly ResourceCache<unknown>[];
  /**
   * Decides per proxy whether it may connect and what it may see, and verifies its bearer
   * token if it sent one; default: every proxy with a verified client certificate sees
   * everything, and a proxy without one is refused UNAUTHENTICATED.
   */
  readonly admit?: AdmitProxy;
  /** Serves `ambit.ca.v1.CertificateAuthority` on the same port through this handler; without it the service is UNIMPLEMENTED. */
  readonly certificateAuthority?: CertificateAuthorityHandler;
  readonly limits?: Partial<XdsServerLimits>;
}

export interface ListenOptions {
  /** Default: all interfaces. */
  readonly host?: string;
  /** Default 15012; 0 picks a free port. */
  readonly port?: number;
}

/**
 * The control plane's delta ADS server (`DeltaAggregatedResources`) over TLS 1.3, and
 * optionally its CA service on the same port. Every call must prove who it is with a
 * verified client certificate or a bearer token. Serves the resources of its caches to
 * every connected proxy, each seeing what its filter lets through, and keeps per-proxy
 * sync state for status tools.
 */
export class XdsServer {
  readonly limits: XdsServerLimits;
  readonly #credentials: XdsServerCredentials;
  readonly #tables = new Map<string, ResourceTable>();
  /** Open streams by id. */
  readonly #streams = new Map<string, DeltaStream>();
  readonly #unlisten: (() => void)[] = [];
  readonly #grpc: Server;
  readonly #context: StreamContext;
  #listening = false;
  #closing = false;

  constructor(options: XdsServerOptions) {
    this.limits = serverLimits(options.limits);
    this.#credentials = options.credentials;
    if (options.resources.length === 0) throw new XdsOptionError('resources', '[]', 'must hold at least one ResourceCache');
    for (const cache of options.resources) {
      if (this.#tables.has(cache.typeUrl)) throw new XdsOptionError('resources', cache.typeUrl, 'is served by two caches');
      const table = tableOf(cache);
      this.#tables.set(cache.typeUrl, table);
      this.#unlisten.push(table.listen((names) => this.#resourcesChanged(cache.typeUrl, names)));
    }
    const bootId = randomBytes(4).toString('hex');
    let nonces = 0;
    this.#context = {
      tables: this.#tables,
      limits: this.limits,
      admit: options.admit,
      // Unique across restarts too, so that a nonce of a previous server process is never mistaken for a current one.
      nextNonce: () => `${bootId}-${(++nonces).toString(36)}`,
      released: (stream) => this.#streams.delete(stream.id),
    };
    this.#grpc = new Server({
      'grpc.max_receive_message_length': this.limits.maxRequestBytes,
      'grpc.keepalive_time_ms': this.limits.keepaliveTimeMs,
      'grpc.keepalive_timeout_ms': this.limits.keepaliveTimeoutMs,
      'grpc.max_connection_age_ms': this.limits.maxConnectionAgeMs,
      'grpc.max_connection_age_grace_ms': this.limits.maxConnectionAgeGraceMs,
      'grpc.max_concurrent_streams': MAX_STREAMS_PER_CONNECTION,
    });
    let streamIds = 0;
    this.#grpc.addService(adsServiceDefinition, {
      DeltaAggregatedResources: (call: ServerDuplexStream<Buffer, Buffer>) => this.#accept(call, String(++streamIds)),
    });
    if (options.certificateAuthority !== undefined) {
      const certificates = new CertificateService(options.certificateAuthority, this.limits, () => this.#closing);
      this.#grpc.addService(caServiceDefinition, {
        CreateCertificate: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => certificates.serve(call, callback),
      });
    }
  }

  /** Binds the port (TLS) and starts serving; resolves with the bound address. */
  async listen(options: ListenOptions = {}): Promise<{ readonly host: string; readonly port: number }> {
    if (this.#listening) throw new XdsOptionError('listen', 'a second call', 'is not supported: one server listens on one address');
    if (this.#closing) throw new XdsOptionError('listen', 'after close', 'is not supported: create a new server');
    this.#listening = true;
    const host = options.host ?? '0.0.0.0';
    const address = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? XDS_PORT}`;
    const port = await new Promise<number>((resolve, reject) => {
      this.#grpc.bindAsync(address, grpcServerCredentials(this.#credentials), (error, bound) => {
        if (error === null) resolve(bound);
        else reject(new XdsListenError(address, error));
      });
    });
    return { host, port };
  }

  /** Every connected proxy (that sent its first request) with its state per type. */
  syncStatus(): ProxySyncStatus[] {
    const result: ProxySyncStatus[] = [];
    for (const stream of this.#streams.values()) {
      if (stream.proxy !== undefined) result.push({ proxy: stream.proxy, types: stream.syncStatus() });
    }
    return result;
  }

  /** Whether `streamId` is one of this server's open streams (the debug channels are process-wide). */
  hasStream(streamId: string): boolean {
    return this.#streams.has(streamId);
  }

  /** The versions of `typeUrl` a proxy holds by the server's account (a config dump's view). */
  resourceVersions(streamId: string, typeUrl: string): ReadonlyMap<string, string> | undefined {
    return this.#streams.get(streamId)?.heldVersions(typeUrl);
  }

  /**
   * Re-runs the per-proxy filters of the matching proxies (all by default) against every
   * resource, after something they depend on changed; differences are pushed.
   */
  refresh(match: (proxy: ProxyInfo) => boolean = () => true): void {
    for (const stream of this.#streams.values()) if (stream.proxy !== undefined && match(stream.proxy)) stream.refresh();
  }

  /**
   * Stops serving: ends every stream with UNAVAILABLE (proxies reconnect elsewhere and
   * keep their config meanwhile), then waits up to `graceMs` for connections to close
   * before cutting them.
   */
  async close(options: { readonly graceMs?: number } = {}): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const unlisten of this.#unlisten) unlisten();
    for (const stream of [...this.#streams.values()]) stream.fail(new ServerClosingError());
    const graceMs = options.graceMs ?? DEFAULT_CLOSE_GRACE_MS;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#grpc.forceShutdown();
        resolve();
      }, graceMs);
      this.#grpc.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #accept(call: ServerDuplexStream<Buffer, Buffer>, id: string): void {
    let bearerToken: string | undefined;
    try {
      if (this.#closing) throw new ServerClosingError();
      if (this.#streams.size >= this.limits.maxStreams) throw new TooManyStreamsError(this.limits.maxStreams);
      bearerToken = bearerTokenOf(call.metadata);
    } catch (error) {
      const refusal = error as XdsStreamError;
      call.emit('error', { code: refusal.grpcCode, details: refusal.message });
      return;
    }
    this.#streams.set(id, new DeltaStream(id, call, { peer: peerOf(call), bearerToken }, this.#context));
  }

  #resourcesChanged(typeUrl: string, names: readonly string[]): void {
    for (const stream of this.#streams.values()) stream.resourcesChanged(typeUrl, names);
  }
}
