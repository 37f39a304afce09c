import diagnostics_channel from 'node:diagnostics_channel';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { l7V1, securityV1, watchResources, workloadV1, XDS_CHANNELS, XdsClient, XdsOptionError, type ClientDisconnectedEvent, type JsonObject, type ResourceWatch, type XdsClientCredentials, type XdsClientStatus } from '@ambit/xds';
import type { HostPort } from '@ambit/process';
import type { ProxyAuthorization } from '../authz/index.js';
import type { MeshState, StateUpdate } from '../state/index.js';

/** The xDS node metadata key naming a proxy's role (the control plane's `ROLE_METADATA`). */
const ROLE_METADATA = 'role';
/** The roles the control plane knows: what a certificate caller is sent besides Address. */
export type ProxyRole = 'waypoint' | 'gateway';

/** The L7 types a proxy may watch besides Address (Authorization: a waypoint's L7 policies). */
export type L7Watch = 'RouteTable' | 'Cluster' | 'Listener' | 'Authorization';

export interface XdsAdapterOptions {
  readonly address: HostPort;
  readonly credentials: XdsClientCredentials;
  /** The proxy's xDS node id and metadata (role, node). */
  readonly nodeId: string;
  readonly metadata: JsonObject;
  /** The state's single writer: only this adapter holds it. */
  readonly state: MeshState;
  /** Where Authorization deltas go (the adapter is its one writer); required when `watch` has Authorization. */
  readonly authorization?: ProxyAuthorization;
  /** Watched besides Address: none at bootstrap (with the node's token); RouteTable and Cluster (and a gateway's Listener, a waypoint's Authorization) with the proxy's certificate. */
  readonly watch: readonly L7Watch[];
  /** The xDS user agent, e.g. `ambit-waypoint`. */
  readonly userAgent: string;
  readonly log: Logger;
  /** Reconnect backoff (libs/xds defaults: 0.5 s doubling to 30 s, jittered). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/**
 * A proxy's xDS side: one delta ADS stream with wildcard subscriptions, each
 * response applied to the state whole (ACK) or not at all (NACK, the reason as
 * error_detail, the last good state kept). libs/xds does the protocol: reconnecting
 * with jittered backoff and sending the versions held so that only differences come back.
 */
export class XdsAdapter {
  readonly #client: XdsClient;
  readonly #log: Logger;
  readonly #onDisconnect = (message: unknown): void => {
    const event = message as ClientDisconnectedEvent;
    if (event.target !== this.#client.target) return;
    this.#log.warn('xDS stream ended; keeping the last state and reconnecting', { error: errorText(event.error), retry_in_ms: event.retryInMs });
  };

  constructor(options: XdsAdapterOptions) {
    this.#log = options.log;
    const { state, authorization } = options;
    const l7: Record<L7Watch, () => ResourceWatch> = {
      RouteTable: () => watchResources(l7V1.RouteTable, (update) => this.#apply(update.typeUrl, update, (u) => state.applyRouteTables(u))),
      Cluster: () => watchResources(l7V1.Cluster, (update) => this.#apply(update.typeUrl, update, (u) => state.applyClusters(u))),
      Listener: () => watchResources(l7V1.Listener, (update) => this.#apply(update.typeUrl, update, (u) => state.applyListeners(u))),
      Authorization: () => {
        if (authorization === undefined) throw new XdsOptionError('authorization', undefined, 'is required to watch Authorization');
        // Not through the state: Authorization goes to the proxy's policy store (fail-closed on a bad resource).
        return watchResources(securityV1.Authorization, (update) => this.#apply(update.typeUrl, update, (u) => authorization.apply(u)));
      },
    };
    const resources: ResourceWatch[] = [watchResources(workloadV1.Address, (update) => this.#apply(update.typeUrl, update, (u) => state.applyAddresses(u))), ...options.watch.map((type) => l7[type]())];
    this.#client = new XdsClient({
      target: formatAddress(options.address),
      credentials: options.credentials,
      node: { id: options.nodeId, metadata: options.metadata, userAgentName: options.userAgent },
      resources,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
  }

  start(): void {
    diagnostics_channel.subscribe(XDS_CHANNELS.clientDisconnected, this.#onDisconnect);
    this.#client.start();
  }

  /** Why the state is not synced yet; undefined once every type had a response applied (kept across reconnects). */
  pending(): string | undefined {
    if (this.#client.synced) return undefined;
    const status = this.#client.status();
    const waiting = status.types.filter((t) => !t.synced).map((t) => t.typeUrl.slice(t.typeUrl.lastIndexOf('.') + 1));
    const why = status.lastError === undefined ? '' : ` (last error: ${status.lastError.message})`;
    return `waiting for the first ${waiting.join(' and ')} response from ${this.#client.target}${why}`;
  }

  status(): XdsClientStatus {
    return this.#client.status();
  }

  close(): void {
    diagnostics_channel.unsubscribe(XDS_CHANNELS.clientDisconnected, this.#onDisconnect);
    this.#client.close();
  }

  #apply<U extends StateUpdate<unknown> & { readonly nonce: string }>(typeUrl: string, update: U, apply: (update: U) => void): void {
    try {
      apply(update);
    } catch (error) {
      this.#log.warn('xDS response rejected (NACK); the last good state stays', { type: typeUrl, nonce: update.nonce, error: errorText(error) });
      throw error;
    }
    this.#log.debug('xDS response applied', { type: typeUrl, upserted: update.upserted.length, removed: update.removed.length });
  }
}

/** The role metadata a proxy's streams state, with the node its pod runs on. */
export function proxyMetadata(role: ProxyRole, nodeName: string): JsonObject {
  return { [ROLE_METADATA]: role, node: nodeName };
}
