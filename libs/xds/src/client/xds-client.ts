import { Client, status as GrpcStatus, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { channels, type ClientDisconnectedEvent, type ClientNackEvent } from '../channels.js';
import { XdsClientClosedError, XdsConnectionError, XdsOptionError, XdsSyncTimeoutError } from '../errors.js';
import { DeltaDiscoveryRequest, DeltaDiscoveryResponse, type Node } from '../generated/envoy.service.discovery.v3.js';
import { DELTA_ADS_PATH } from '../grpc/ads-service.js';
import type { MessageInit } from '../proto/codec.js';
import { toStruct, type JsonObject } from '../proto/struct.js';
import { grpcChannelCredentials, grpcChannelOptions, type XdsClientCredentials } from '../tls/client-credentials.js';
import { Backoff } from './backoff.js';
import { ClientSubscription } from './client-subscription.js';
import type { ResourceWatch } from './resource-watch.js';

const MiB = 1024 * 1024;
/** error_detail.code of a NACK: the config, not the transport, is at fault. */
const NACK_CODE = GrpcStatus.INVALID_ARGUMENT;
/** NACK messages travel to the server and into its status view; longer ones are cut. */
const MAX_NACK_MESSAGE = 4096;

export interface XdsNode {
  /** Unique per proxy, e.g. `ztunnel~10.0.0.5~node-a`. */
  readonly id: string;
  readonly cluster?: string;
  readonly metadata?: JsonObject;
  readonly userAgentName?: string;
}

export interface XdsClientOptions {
  /** `host:port` of the control plane (port 15012). */
  readonly target: string;
  readonly credentials: XdsClientCredentials;
  readonly node: XdsNode;
  /** The types to subscribe to, each with its handler (`watchResources`). */
  readonly resources: readonly ResourceWatch[];
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** A new stream must answer every first request within this time, or it is abandoned and retried. */
  readonly responseTimeoutMs?: number;
  /** Largest response accepted (the server splits larger states). */
  readonly maxResponseBytes?: number;
  readonly keepaliveTimeMs?: number;
  readonly keepaliveTimeoutMs?: number;
}

export interface XdsClientStatus {
  /** A stream is open and has answered. */
  readonly connected: boolean;
  /** Why the last stream ended. */
  readonly lastError: XdsConnectionError | undefined;
  readonly types: readonly {
    readonly typeUrl: string;
    readonly wildcard: boolean;
    readonly names: readonly string[];
    readonly synced: boolean;
    readonly resources: number;
  }[];
}

interface ActiveStream {
  readonly grpc: Client;
  readonly call: ClientDuplexStream<Buffer, Buffer>;
  /** Types whose first request on this stream awaits its response. */
  readonly awaiting: Set<string>;
  answered: boolean;
  /** Set when the client abandons the stream itself, to report why. */
  failure: XdsConnectionError | undefined;
  responseTimer: NodeJS.Timeout | undefined;
}

/**
 * A proxy's delta xDS client. It subscribes to its types on one ADS stream, applies each
 * response through the type's handler and ACKs or NACKs it, and when the stream ends it
 * reconnects with jittered exponential backoff, reporting the versions it holds so that
 * the server sends only the difference. Resources already applied stay applied while
 * the control plane is away.
 */
export class XdsClient {
  readonly target: string;
  readonly #credentials: XdsClientCredentials;
  readonly #node: MessageInit<Node>;
  readonly #subscriptions = new Map<string, ClientSubscription>();
  readonly #backoff: Backoff;
  readonly #responseTimeoutMs: number;
  readonly #channelOptions: Record<string, number>;
  readonly #syncWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  #stream: ActiveStream | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #lastError: XdsConnectionError | undefined;
  #started = false;
  #closed = false;

  constructor(options: XdsClientOptions) {
    // The one target grpc-js refuses synchronously; any other fails as a connection attempt.
    if (options.target === '') throw new XdsOptionError('target', '', "must be the control plane's host:port");
    if (options.node.id === '') throw new XdsOptionError('node.id', '', 'must identify the proxy');
    if (options.resources.length === 0) throw new XdsOptionError('resources', '[]', 'must subscribe to at least one type');
    for (const watch of options.resources) {
      if (this.#subscriptions.has(watch.typeUrl)) throw new XdsOptionError('resources', watch.typeUrl, 'is watched twice');
      this.#subscriptions.set(watch.typeUrl, new ClientSubscription(watch));
    }
    this.target = options.target;
    this.#credentials = options.credentials;
    this.#node = {
      id: options.node.id,
      cluster: options.node.cluster ?? '',
      userAgentName: options.node.userAgentName ?? 'ambit',
      metadata: toStruct(options.node.metadata ?? {}),
    };
    const initialMs = positive('backoff.initialMs', options.backoff?.initialMs ?? 500);
    const maxMs = positive('backoff.maxMs', options.backoff?.maxMs ?? 30_000);
    if (maxMs < initialMs) throw new XdsOptionError('backoff.maxMs', maxMs, `must be at least backoff.initialMs (${initialMs})`);
    this.#backoff = new Backoff(initialMs, maxMs);
    this.#responseTimeoutMs = positive('responseTimeoutMs', options.responseTimeoutMs ?? 30_000);
    this.#channelOptions = {
      'grpc.max_receive_message_length': positive('maxResponseBytes', options.maxResponseBytes ?? 64 * MiB),
      'grpc.keepalive_time_ms': positive('keepaliveTimeMs', options.keepaliveTimeMs ?? 30_000),
      'grpc.keepalive_timeout_ms': positive('keepaliveTimeoutMs', options.keepaliveTimeoutMs ?? 10_000),
      // Reconnection is this class's job: every attempt gets a fresh channel and connection.
      'grpc.use_local_subchannel_pool': 1,
      'grpc.enable_retries': 0,
    };
  }

  /** Starts connecting; the client keeps (re)connecting until `close`. */
  start(): void {
    if (this.#closed) throw new XdsClientClosedError();
    if (this.#started) return;
    this.#started = true;
    this.#connect();
  }

  /** Every type has applied its first response. */
  get synced(): boolean {
    return [...this.#subscriptions.values()].every((subscription) => subscription.synced);
  }

  isSynced(typeUrl: string): boolean {
    return this.#subscriptions.get(typeUrl)?.synced ?? false;
  }

  /** Resolves once every type is synced; rejects after `timeoutMs` or when the client closes. */
  whenSynced(timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.reject(new XdsClientClosedError());
    if (this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.#syncWaiters.delete(waiter);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          this.#syncWaiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const pending = [...this.#subscriptions.values()].filter((s) => !s.synced).map((s) => s.typeUrl);
        waiter.reject(new XdsSyncTimeoutError(timeoutMs, pending));
      }, timeoutMs);
      this.#syncWaiters.add(waiter);
    });
  }

  /** Adds names (or `*`) to a type's subscription, now if connected, else on connect. */
  subscribe(typeUrl: string, names: readonly string[]): void {
    const subscription = this.#subscription(typeUrl);
    subscription.subscribe(names);
    this.#send({ typeUrl, resourceNamesSubscribe: names });
  }

  /** Removes names (or `*`); the client forgets their versions and the caller drops the resources. */
  unsubscribe(typeUrl: string, names: readonly string[]): void {
    const subscription = this.#subscription(typeUrl);
    subscription.unsubscribe(names);
    this.#send({ typeUrl, resourceNamesUnsubscribe: names });
  }

  /** The versions of `typeUrl` the client holds (its config dump). */
  resourceVersions(typeUrl: string): ReadonlyMap<string, string> {
    return this.#subscription(typeUrl).heldVersions();
  }

  status(): XdsClientStatus {
    return {
      connected: this.#stream?.answered ?? false,
      lastError: this.#lastError,
      types: [...this.#subscriptions.values()].map((s) => ({
        typeUrl: s.typeUrl,
        wildcard: s.wildcard,
        names: s.names,
        synced: s.synced,
        resources: s.heldVersions().size,
      })),
    };
  }

  /** Ends the stream and stops reconnecting. The applied state is the caller's to keep. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnect);
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream !== undefined) this.#dispose(stream);
    for (const waiter of [...this.#syncWaiters]) waiter.reject(new XdsClientClosedError());
  }

  #subscription(typeUrl: string): ClientSubscription {
    const subscription = this.#subscriptions.get(typeUrl);
    if (subscription === undefined) throw new XdsOptionError('typeUrl', typeUrl, `is not watched by this client (it watches ${[...this.#subscriptions.keys()].join(', ')})`);
    return subscription;
  }

  #connect(): void {
    this.#reconnect = undefined;
    const grpc = new Client(this.target, grpcChannelCredentials(this.#credentials), { ...this.#channelOptions, ...grpcChannelOptions(this.#credentials) });
    const identity = (bytes: Buffer): Buffer => bytes;
    const call = grpc.makeBidiStreamRequest(DELTA_ADS_PATH, identity, identity);
    const stream: ActiveStream = { grpc, call, awaiting: new Set(), answered: false, failure: undefined, responseTimer: undefined };
    this.#stream = stream;
    call.on('data', (bytes: Buffer) => this.#onResponse(stream, bytes));
    // grpc-js reports a non-OK status both as 'error' and as 'status'; 'status' drives the reconnect.
    call.on('error', (_error: ServiceError) => undefined);
    call.on('status', (status: StatusObject) => this.#onEnd(stream, status));

    let first = true;
    for (const subscription of this.#subscriptions.values()) {
      const initial = subscription.initialRequest();
      if (initial === undefined) continue;
      stream.awaiting.add(subscription.typeUrl);
      this.#write(stream, { ...(first ? { node: this.#node } : {}), typeUrl: subscription.typeUrl, ...initial });
      first = false;
    }
    stream.responseTimer = setTimeout(() => {
      const waiting = [...stream.awaiting].join(', ');
      this.#abandon(stream, GrpcStatus.DEADLINE_EXCEEDED, `no response for ${waiting} within ${this.#responseTimeoutMs} ms`);
    }, this.#responseTimeoutMs);
  }

  #onResponse(stream: ActiveStream, bytes: Buffer): void {
    if (stream !== this.#stream) return;
    let response: DeltaDiscoveryResponse;
    try {
      response = DeltaDiscoveryResponse.decode(bytes);
    } catch (error) {
      // Without a decodable nonce there is nothing to NACK; the stream cannot be trusted.
      this.#abandon(stream, GrpcStatus.INTERNAL, error instanceof Error ? error.message : String(error));
      return;
    }
    stream.answered = true;
    this.#backoff.reset();
    stream.awaiting.delete(response.typeUrl);
    if (stream.awaiting.size === 0) clearTimeout(stream.responseTimer);
    const subscription = this.#subscriptions.get(response.typeUrl);
    const reason = subscription === undefined ? `type ${response.typeUrl} was not subscribed to` : subscription.apply(response);
    if (reason === undefined) {
      this.#write(stream, { typeUrl: response.typeUrl, responseNonce: response.nonce });
      if (this.synced) for (const waiter of [...this.#syncWaiters]) waiter.resolve();
    } else {
      const message = reason.slice(0, MAX_NACK_MESSAGE);
      this.#write(stream, { typeUrl: response.typeUrl, responseNonce: response.nonce, errorDetail: { code: NACK_CODE, message } });
      channels.clientNack.publish({ target: this.target, typeUrl: response.typeUrl, nonce: response.nonce, message } satisfies ClientNackEvent);
    }
  }

  #send(request: MessageInit<DeltaDiscoveryRequest>): void {
    // Not connected: the next stream's first requests carry the whole subscription.
    if (this.#stream !== undefined) this.#write(this.#stream, request);
  }

  #write(stream: ActiveStream, request: MessageInit<DeltaDiscoveryRequest>): void {
    stream.call.write(Buffer.from(DeltaDiscoveryRequest.encode(request)));
  }

  /** Gives up on a stream for a reason of the client's own; its status then reports that reason. */
  #abandon(stream: ActiveStream, code: number, details: string): void {
    stream.failure ??= new XdsConnectionError(this.target, code, details);
    stream.call.cancel();
  }

  #onEnd(stream: ActiveStream, status: StatusObject): void {
    if (stream !== this.#stream) return;
    this.#stream = undefined;
    this.#dispose(stream);
    this.#retry(stream.failure ?? new XdsConnectionError(this.target, status.code, status.details));
  }

  #retry(error: XdsConnectionError): void {
    this.#lastError = error;
    if (this.#closed) return;
    const retryInMs = this.#backoff.next();
    channels.clientDisconnected.publish({ target: this.target, error, retryInMs } satisfies ClientDisconnectedEvent);
    this.#reconnect = setTimeout(() => this.#connect(), retryInMs);
  }

  #dispose(stream: ActiveStream): void {
    clearTimeout(stream.responseTimer);
    stream.call.cancel();
    stream.grpc.close();
  }
}

/** A client option that must be a positive integer (also used by the CA client). */
export function positive(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new XdsOptionError(option, value, 'must be a positive integer');
  return value;
}
