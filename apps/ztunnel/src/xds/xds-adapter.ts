import diagnostics_channel from 'node:diagnostics_channel';
import { errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { securityV1, watchResources, workloadV1, XDS_CHANNELS, XdsClient, type ClientDisconnectedEvent, type XdsClientCredentials, type XdsClientStatus } from '@ambit/xds';
import type { HostPort } from '../config/index.js';
import type { ProxyState, StateUpdate } from '../state/index.js';
import type { XdsMetrics } from './metrics.js';

export interface XdsAdapterOptions {
  readonly address: HostPort;
  readonly credentials: XdsClientCredentials;
  readonly nodeName: string;
  readonly network: string;
  /** The state's single writer: only this adapter holds it. */
  readonly state: ProxyState;
  readonly metrics: XdsMetrics;
  readonly log: Logger;
  /** Reconnect backoff (libs/xds defaults: 0.5 s doubling to 30 s, jittered). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/**
 * ztunnel's xDS side: one delta ADS stream to the control plane with wildcard
 * subscriptions to Address and Authorization, each response applied to the state
 * whole (ACK) or not at all (NACK, with the reason as error_detail). libs/xds does the
 * protocol: reconnecting with jittered backoff and sending the versions held
 * (initial_resource_versions) so that only differences come back.
 */
export class XdsAdapter {
  readonly #client: XdsClient;
  readonly #options: XdsAdapterOptions;
  readonly #onDisconnect = (message: unknown): void => {
    const event = message as ClientDisconnectedEvent;
    if (event.target !== this.#client.target) return;
    this.#options.metrics.terminations.inc({ reason: 'ConnectionError' });
    this.#options.log.warn('xDS stream ended; keeping the last state and reconnecting', { error: errorText(event.error), retry_in_ms: event.retryInMs });
  };

  constructor(options: XdsAdapterOptions) {
    this.#options = options;
    const { state } = options;
    this.#client = new XdsClient({
      target: formatAddress(options.address),
      credentials: options.credentials,
      node: { id: `ztunnel~${options.nodeName}`, metadata: { role: 'ztunnel', node: options.nodeName, network: options.network }, userAgentName: 'ambit-ztunnel' },
      resources: [
        watchResources(workloadV1.Address, (update) => this.#apply(update.typeUrl, update, (u) => state.applyAddresses(u))),
        watchResources(securityV1.Authorization, (update) => this.#apply(update.typeUrl, update, (u) => state.applyAuthorizations(u))),
      ],
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
  }

  start(): void {
    diagnostics_channel.subscribe(XDS_CHANNELS.clientDisconnected, this.#onDisconnect);
    this.#client.start();
  }

  /** Every type has had a response applied (and so ACKed); stays true across reconnects, as the state is kept. */
  get synced(): boolean {
    return this.#client.synced;
  }

  /** Why the state is not synced yet; undefined once it is. */
  pending(): string | undefined {
    if (this.synced) return undefined;
    const status = this.#client.status();
    const waiting = status.types.filter((t) => !t.synced).map((t) => t.typeUrl.slice(t.typeUrl.lastIndexOf('.') + 1));
    const why = status.lastError === undefined ? '' : ` (last error: ${status.lastError.message})`;
    return `waiting for the first ${waiting.join(' and ')} response from ${this.#client.target}${why}`;
  }

  status(): XdsClientStatus {
    return this.#client.status();
  }

  /** The versions held of `typeUrl`, by resource name. */
  versions(typeUrl: string): ReadonlyMap<string, string> {
    return this.#client.resourceVersions(typeUrl);
  }

  close(): void {
    diagnostics_channel.unsubscribe(XDS_CHANNELS.clientDisconnected, this.#onDisconnect);
    this.#client.close();
  }

  #apply<T>(typeUrl: string, update: StateUpdate<T> & { readonly nonce: string }, apply: (update: StateUpdate<T>) => void): void {
    const { metrics, log } = this.#options;
    metrics.messages.inc({ url: typeUrl });
    try {
      apply(update);
    } catch (error) {
      metrics.rejected.inc({ url: typeUrl });
      log.warn('xDS response rejected (NACK); the last good state stays', { type: typeUrl, nonce: update.nonce, error: errorText(error) });
      throw error;
    }
    log.debug('xDS response applied', { type: typeUrl, upserted: update.upserted.length, removed: update.removed.length });
  }
}
