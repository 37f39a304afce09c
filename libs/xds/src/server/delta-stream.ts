import { performance } from 'node:perf_hooks';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { ResourceTable, TableEntry } from '../cache/resource-table.js';
import { MAX_RESOURCE_NAME_LENGTH, MAX_VERSION_LENGTH } from '../cache/resource-cache.js';
import { channels, type ConvergenceEvent, type NackEvent, type StaleNonceEvent, type StreamClosedEvent, type StreamOpenedEvent } from '../channels.js';
import {
  AckTimeoutError,
  FirstRequestTimeoutError,
  InvalidRequestError,
  GrpcStatus,
  grpcStatusOf,
  ProxyRejectedError,
  SendBufferFullError,
  TooManyNamesError,
  UnauthenticatedCallError,
  UnknownTypeUrlError,
  XdsInternalError,
  XdsStreamError,
} from '../errors.js';
import { DeltaDiscoveryRequest } from '../generated/envoy.service.discovery.v3.js';
import { fromStruct } from '../proto/struct.js';
import type { PeerIdentity } from '../tls/peer.js';
import type { AdmitProxy, ProxyInfo, ResourceFilter } from './proxy-info.js';
import { encodeResponse, removalSize } from './response-encoder.js';
import type { XdsServerLimits } from './limits.js';
import { countNewNames, SubscriptionTracker, type PlannedResponse } from './subscription-tracker.js';
import { MAX_NACK_MESSAGE, MAX_NACK_NAMES, type NackRecord, type SentRecord, type TypeSyncStatus } from './sync-status.js';

/** Room left in a response for its type URL, nonce and framing. */
const HEADER_ALLOWANCE = 1024;

export interface StreamContext {
  readonly tables: ReadonlyMap<string, ResourceTable>;
  readonly limits: XdsServerLimits;
  readonly admit: AdmitProxy | undefined;
  nextNonce(): string;
  /** The stream ended, for whatever reason; the server forgets it. */
  released(stream: DeltaStream): void;
}

/** What the caller proved at the TLS layer and in its metadata; the token is dropped once admission has it. */
export interface StreamCredentials {
  readonly peer: PeerIdentity | undefined;
  readonly bearerToken: string | undefined;
}

/** An asynchronous admission in progress: requests that arrive meanwhile wait in order. */
interface Admission {
  readonly queued: DeltaDiscoveryRequest[];
  readonly controller: AbortController;
}

interface TypeState {
  readonly tracker: SubscriptionTracker;
  lastSent: SentRecord | undefined;
  lastAck: { readonly nonce: string; readonly at: Date } | undefined;
  lastNack: NackRecord | undefined;
  /** Whether the last settled response was rejected. */
  nacked: boolean;
  staleNonces: number;
  ackTimer: NodeJS.Timeout | undefined;
  /** The oldest change (performance.now()) in the response awaiting its ACK that was made while this stream was open. */
  inFlightChangedAt: number | undefined;
}

/**
 * One proxy's ADS stream: decodes its requests, keeps a `SubscriptionTracker` per type,
 * sends what changed, and ends the stream with a gRPC status when the proxy breaks a
 * limit or the protocol. Nothing a proxy sends can throw out of this class.
 */
export class DeltaStream {
  readonly id: string;
  readonly connectedAt = new Date();
  readonly #openedAt: number;
  readonly #call: ServerDuplexStream<Buffer, Buffer>;
  readonly #context: StreamContext;
  readonly #peer: PeerIdentity | undefined;
  #bearerToken: string | undefined;
  #admission: Admission | undefined;
  #proxy: ProxyInfo | undefined;
  #filter: ResourceFilter | undefined;
  readonly #types = new Map<string, TypeState>();
  #pendingBytes = 0;
  #released = false;
  #firstRequestTimer: NodeJS.Timeout | undefined;
  #flush: NodeJS.Immediate | undefined;

  constructor(id: string, call: ServerDuplexStream<Buffer, Buffer>, credentials: StreamCredentials, context: StreamContext) {
    this.id = id;
    this.#openedAt = performance.now();
    this.#call = call;
    this.#peer = credentials.peer;
    this.#bearerToken = credentials.bearerToken;
    this.#context = context;
    const timeoutMs = context.limits.firstRequestTimeoutMs;
    this.#firstRequestTimer = setTimeout(() => this.fail(new FirstRequestTimeoutError(timeoutMs)), timeoutMs);
    call.on('data', (bytes: Buffer) => this.#guard(() => this.#onRequest(bytes)));
    call.on('end', () => this.#onHalfClose());
    call.on('cancelled', () => this.#release(undefined));
    call.on('close', () => this.#release(undefined));
  }

  /** Set once the first request was admitted. */
  get proxy(): ProxyInfo | undefined {
    return this.#proxy;
  }

  /** Resources of `typeUrl` changed in the cache. */
  resourcesChanged(typeUrl: string, names: readonly string[]): void {
    const state = this.#types.get(typeUrl);
    if (state === undefined) return;
    state.tracker.resourcesChanged(names);
    this.#scheduleFlush();
  }

  /** Re-examines every resource against the filter (after whatever it depends on changed). */
  refresh(): void {
    for (const state of this.#types.values()) state.tracker.refresh();
    this.#scheduleFlush();
  }

  /** Ends the stream with `error`'s status. */
  fail(error: XdsStreamError): void {
    if (this.#released) return;
    this.#release(error);
    // grpc-js turns an 'error' event on a server stream into the call's status.
    this.#call.emit('error', { code: error.grpcCode, details: error.message });
  }

  syncStatus(): TypeSyncStatus[] {
    return [...this.#types].map(([typeUrl, state]) => ({
      typeUrl,
      wildcard: state.tracker.wildcard,
      subscribedNames: state.tracker.explicitNames,
      resourceCount: state.tracker.heldVersions().size,
      state: state.tracker.inFlightNonce !== undefined || state.tracker.hasPending ? 'pending' : state.nacked ? 'nacked' : 'synced',
      lastSent: state.lastSent,
      lastAck: state.lastAck,
      lastNack: state.lastNack,
      staleNonces: state.staleNonces,
    }));
  }

  /** Versions of `typeUrl` the proxy holds, by the server's account. */
  heldVersions(typeUrl: string): Map<string, string> | undefined {
    return this.#types.get(typeUrl)?.tracker.heldVersions();
  }

  #onRequest(bytes: Buffer): void {
    if (this.#released) return;
    let request: DeltaDiscoveryRequest;
    try {
      request = DeltaDiscoveryRequest.decode(bytes);
    } catch (error) {
      throw new InvalidRequestError(error instanceof Error ? error.message : String(error));
    }
    if (this.#admission !== undefined) this.#admission.queued.push(request);
    else if (this.#proxy === undefined) this.#admit(request);
    else this.#handle(this.#proxy, request);
  }

  #handle(proxy: ProxyInfo, request: DeltaDiscoveryRequest): void {
    const { typeUrl } = request;
    if (typeUrl === '') throw new InvalidRequestError('type_url is empty');
    if (!this.#context.tables.has(typeUrl)) throw new UnknownTypeUrlError(typeUrl, [...this.#context.tables.keys()]);
    this.#checkNames(request);

    const state = this.#types.get(typeUrl);
    if (state === undefined) {
      this.#checkSubscriptionBudget(countNewNames(request.resourceNamesSubscribe));
      const tracker = new SubscriptionTracker(request.resourceNamesSubscribe, request.resourceNamesUnsubscribe, request.initialResourceVersions);
      const fresh: TypeState = { tracker, lastSent: undefined, lastAck: undefined, lastNack: undefined, nacked: false, staleNonces: 0, ackTimer: undefined, inFlightChangedAt: undefined };
      this.#types.set(typeUrl, fresh);
      // A reconnecting client may still quote a nonce of its previous stream.
      if (request.responseNonce !== '') this.#stale(proxy, typeUrl, fresh, request.responseNonce);
    } else {
      if (request.responseNonce !== '') this.#settle(proxy, typeUrl, state, request);
      this.#checkSubscriptionBudget(state.tracker.countNew(request.resourceNamesSubscribe));
      state.tracker.update(request.resourceNamesSubscribe, request.resourceNamesUnsubscribe);
    }
    this.#scheduleFlush();
  }

  /**
   * The first request: who the proxy is, and whether it may connect. Without `admit`
   * only a verified client certificate is accepted (nothing could verify a token); with
   * it, a call must bring a certificate or a token, and `admit` decides. An asynchronous
   * `admit` pauses the stream until it settles.
   */
  #admit(request: DeltaDiscoveryRequest): void {
    const node = request.node;
    if (node === null || node.id === '') throw new InvalidRequestError('the first request must carry node.id');
    if (node.id.length > MAX_RESOURCE_NAME_LENGTH) throw new InvalidRequestError(`node.id is longer than ${MAX_RESOURCE_NAME_LENGTH} characters`);
    const proxy: ProxyInfo = {
      streamId: this.id,
      node: { id: node.id, cluster: node.cluster, userAgentName: node.userAgentName, metadata: fromStruct(node.metadata) },
      peer: this.#peer,
      remoteAddress: this.#call.getPeer(),
      connectedAt: this.connectedAt,
    };
    const bearerToken = this.#bearerToken;
    this.#bearerToken = undefined;
    const admit = this.#context.admit;
    if (this.#peer === undefined && (admit === undefined || bearerToken === undefined)) {
      throw new UnauthenticatedCallError(bearerToken === undefined ? 'no verified client certificate and no bearer token' : 'no verified client certificate, and this server verifies no bearer tokens');
    }
    if (admit === undefined) return this.#admitted(proxy, undefined, request);

    const controller = new AbortController();
    let result: ReturnType<AdmitProxy>;
    try {
      result = admit(proxy, { bearerToken, signal: controller.signal });
    } catch (error) {
      throw rejection(node.id, error);
    }
    if (!isPromise(result)) return this.#admitted(proxy, result, request);
    const admission: Admission = { queued: [], controller };
    this.#admission = admission;
    this.#call.pause();
    result.then(
      (filter) =>
        this.#guard(() => {
          if (this.#released) return;
          this.#admission = undefined;
          this.#admitted(proxy, filter, request);
          for (const queued of admission.queued) if (!this.#released) this.#handle(proxy, queued);
          this.#call.resume();
        }),
      (error: unknown) => this.fail(rejection(node.id, error)),
    );
  }

  #admitted(proxy: ProxyInfo, filter: ResourceFilter | undefined, request: DeltaDiscoveryRequest): void {
    clearTimeout(this.#firstRequestTimer);
    this.#filter = filter;
    this.#proxy = proxy;
    channels.streamOpened.publish({ proxy } satisfies StreamOpenedEvent);
    this.#handle(proxy, request);
  }

  #checkNames(request: DeltaDiscoveryRequest): void {
    const { resourceNamesSubscribe: subscribe, resourceNamesUnsubscribe: unsubscribe, initialResourceVersions: initial } = request;
    const initialNames = Object.keys(initial);
    const count = subscribe.length + unsubscribe.length + initialNames.length;
    const limit = this.#context.limits.maxNamesPerRequest;
    if (count > limit) throw new TooManyNamesError('one request', count, limit);
    for (const name of [...subscribe, ...unsubscribe, ...initialNames]) {
      if (name === '') throw new InvalidRequestError('a resource name is empty');
      if (name.length > MAX_RESOURCE_NAME_LENGTH) throw new InvalidRequestError(`a resource name is longer than ${MAX_RESOURCE_NAME_LENGTH} characters`);
    }
    for (const version of Object.values(initial)) {
      if (version.length > MAX_VERSION_LENGTH) throw new InvalidRequestError(`an initial resource version is longer than ${MAX_VERSION_LENGTH} characters`);
    }
  }

  #checkSubscriptionBudget(adding: number): void {
    if (adding === 0) return;
    let total = adding;
    for (const state of this.#types.values()) total += state.tracker.explicitCount;
    const limit = this.#context.limits.maxSubscribedNamesPerStream;
    if (total > limit) throw new TooManyNamesError('subscriptions of this stream', total, limit);
  }

  /** The ACK or NACK part of a request. */
  #settle(proxy: ProxyInfo, typeUrl: string, state: TypeState, request: DeltaDiscoveryRequest): void {
    const nonce = request.responseNonce;
    const at = new Date();
    const error = request.errorDetail;
    if (error === null) {
      if (state.tracker.ack(nonce) === 'stale') return this.#stale(proxy, typeUrl, state, nonce);
      state.lastAck = { nonce, at };
      state.nacked = false;
      if (state.inFlightChangedAt !== undefined && channels.converged.hasSubscribers) {
        const event: ConvergenceEvent = { streamId: this.id, nodeId: proxy.node.id, typeUrl, nonce, changeToAckMs: performance.now() - state.inFlightChangedAt };
        channels.converged.publish(event);
      }
    } else {
      const { result, rejected } = state.tracker.nack(nonce);
      if (result === 'stale') return this.#stale(proxy, typeUrl, state, nonce);
      const message = error.message.slice(0, MAX_NACK_MESSAGE);
      state.lastNack = {
        nonce,
        at,
        code: error.code,
        message,
        rejected: Object.fromEntries(rejected.slice(0, MAX_NACK_NAMES).map(({ name, version }) => [name, version])),
        rejectedCount: rejected.length,
      };
      state.nacked = true;
      channels.nack.publish({ streamId: this.id, nodeId: proxy.node.id, typeUrl, nonce, message, rejected } satisfies NackEvent);
    }
    clearTimeout(state.ackTimer);
    state.ackTimer = undefined;
  }

  /** Envoy's servers ignore a nonce they are not waiting for; so does this one (the subscription changes still apply). */
  #stale(proxy: ProxyInfo, typeUrl: string, state: TypeState, nonce: string): void {
    state.staleNonces++;
    channels.staleNonce.publish({ streamId: this.id, nodeId: proxy.node.id, typeUrl, nonce } satisfies StaleNonceEvent);
  }

  #scheduleFlush(): void {
    if (this.#released || this.#flush !== undefined) return;
    // Coalesces everything that happens in one turn of the event loop into one response per type.
    this.#flush = setImmediate(() => {
      this.#flush = undefined;
      this.#guard(() => this.#flushAll());
    });
  }

  #flushAll(): void {
    const limits = this.#context.limits;
    for (const [typeUrl, state] of this.#types) {
      if (this.#released) return;
      if (state.tracker.inFlightNonce !== undefined || !state.tracker.hasPending) continue;
      const table = this.#context.tables.get(typeUrl)!;
      const filter = this.#filter;
      const plan = state.tracker.plan(this.#context.nextNonce(), table, {
        visible: filter === undefined ? () => true : (name, entry) => filter(typeUrl, name, entry.resource),
        maxBytes: Math.max(1, limits.maxResponseBytes - HEADER_ALLOWANCE),
        sizeOf: (entry) => entry.field.byteLength,
        removalSize,
      });
      if (plan !== undefined) this.#send(typeUrl, state, plan);
    }
  }

  #send(typeUrl: string, state: TypeState, plan: PlannedResponse<TableEntry>): void {
    const bytes = encodeResponse(
      typeUrl,
      plan.nonce,
      plan.upserts.map(({ entry }) => entry.field),
      plan.removals,
    );
    const limit = this.#context.limits.maxSendBufferBytes;
    // Responses wait for ACKs, so a buffer only fills when the proxy stops reading.
    if (this.#pendingBytes > 0 && this.#pendingBytes + bytes.byteLength > limit) {
      return this.fail(new SendBufferFullError(this.#pendingBytes + bytes.byteLength, limit));
    }
    this.#pendingBytes += bytes.byteLength;
    this.#call.write(bytes, () => {
      this.#pendingBytes -= bytes.byteLength;
    });
    state.lastSent = { nonce: plan.nonce, at: new Date(), resources: plan.upserts.length, removed: plan.removals.length };
    state.inFlightChangedAt = this.#oldestChange(plan);
    const timeoutMs = this.#context.limits.ackTimeoutMs;
    state.ackTimer = setTimeout(() => this.fail(new AckTimeoutError(typeUrl, plan.nonce, timeoutMs)), timeoutMs);
  }

  /** Changes from before this stream opened are the proxy's initial sync, not a push: they are not measured. */
  #oldestChange(plan: PlannedResponse<TableEntry>): number | undefined {
    let oldest: number | undefined;
    for (const { entry } of plan.upserts) {
      if (entry.changedAt >= this.#openedAt && (oldest === undefined || entry.changedAt < oldest)) oldest = entry.changedAt;
    }
    return oldest;
  }

  #onHalfClose(): void {
    // The proxy will send nothing more; xDS has nothing left to say to it.
    if (this.#released) return;
    this.#release(undefined);
    this.#call.end();
  }

  /** Runs request or flush handling; whatever it throws ends this stream only. */
  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.fail(error instanceof XdsStreamError ? error : new XdsInternalError(error));
    }
  }

  #release(error: XdsStreamError | undefined): void {
    if (this.#released) return;
    this.#released = true;
    this.#bearerToken = undefined;
    this.#admission?.controller.abort();
    clearTimeout(this.#firstRequestTimer);
    if (this.#flush !== undefined) clearImmediate(this.#flush);
    for (const state of this.#types.values()) clearTimeout(state.ackTimer);
    this.#context.released(this);
    channels.streamClosed.publish({ streamId: this.id, nodeId: this.#proxy?.node.id, error } satisfies StreamClosedEvent);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** Why admit refused: the status its error carries, else PERMISSION_DENIED. */
function rejection(nodeId: string, error: unknown): ProxyRejectedError {
  return new ProxyRejectedError(nodeId, error instanceof Error ? error.message : String(error), grpcStatusOf(error) ?? GrpcStatus.PERMISSION_DENIED);
}
