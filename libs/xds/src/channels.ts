import diagnostics_channel from 'node:diagnostics_channel';
import type { XdsConnectionError, XdsStreamError } from './errors.js';
import type { ProxyInfo } from './server/proxy-info.js';
import type { NackedChange } from './server/subscription-tracker.js';

/**
 * Debug channels (node:diagnostics_channel) on which the library reports what happens,
 * for apps to log or count. Publishing costs nothing when nobody subscribes.
 */
export const XDS_CHANNELS = Object.freeze({
  /** A proxy's first request was accepted: `StreamOpenedEvent`. */
  streamOpened: 'ambit:xds:stream-opened',
  /** A server stream ended: `StreamClosedEvent`. */
  streamClosed: 'ambit:xds:stream-closed',
  /** A proxy accepted a response that carried changes made while its stream was open: `ConvergenceEvent`. */
  converged: 'ambit:xds:converged',
  /** A proxy rejected a response: `NackEvent`. */
  nack: 'ambit:xds:nack',
  /** A request carried a nonce that is not the one awaited; its ACK/NACK part was ignored: `StaleNonceEvent`. */
  staleNonce: 'ambit:xds:stale-nonce',
  /** The client's stream ended and it will reconnect: `ClientDisconnectedEvent`. */
  clientDisconnected: 'ambit:xds:client-disconnected',
  /** The client rejected a response: `ClientNackEvent`. */
  clientNack: 'ambit:xds:client-nack',
});

export interface StreamOpenedEvent {
  readonly proxy: ProxyInfo;
}

export interface StreamClosedEvent {
  readonly streamId: string;
  /** Absent when the first request never came. */
  readonly nodeId: string | undefined;
  /** Why the server ended it; absent when the proxy went away or half-closed. */
  readonly error: XdsStreamError | undefined;
}

export interface ConvergenceEvent {
  readonly streamId: string;
  readonly nodeId: string;
  readonly typeUrl: string;
  readonly nonce: string;
  /**
   * From the oldest change in the response entering the cache to the proxy's ACK of it,
   * in milliseconds: istiod's `pilot_proxy_convergence_time`, per proxy and type.
   */
  readonly changeToAckMs: number;
}

export interface NackEvent {
  readonly streamId: string;
  readonly nodeId: string;
  readonly typeUrl: string;
  readonly nonce: string;
  readonly message: string;
  readonly rejected: readonly NackedChange[];
}

export interface StaleNonceEvent {
  readonly streamId: string;
  readonly nodeId: string;
  readonly typeUrl: string;
  readonly nonce: string;
}

export interface ClientDisconnectedEvent {
  readonly target: string;
  readonly error: XdsConnectionError;
  readonly retryInMs: number;
}

export interface ClientNackEvent {
  readonly target: string;
  readonly typeUrl: string;
  readonly nonce: string;
  readonly message: string;
}

export const channels = {
  streamOpened: diagnostics_channel.channel(XDS_CHANNELS.streamOpened),
  streamClosed: diagnostics_channel.channel(XDS_CHANNELS.streamClosed),
  converged: diagnostics_channel.channel(XDS_CHANNELS.converged),
  nack: diagnostics_channel.channel(XDS_CHANNELS.nack),
  staleNonce: diagnostics_channel.channel(XDS_CHANNELS.staleNonce),
  clientDisconnected: diagnostics_channel.channel(XDS_CHANNELS.clientDisconnected),
  clientNack: diagnostics_channel.channel(XDS_CHANNELS.clientNack),
};
