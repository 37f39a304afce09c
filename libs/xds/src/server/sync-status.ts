/**
 * The per-proxy sync state that status tools show (istioctl proxy-status's view):
 * for every connected proxy and type, what it subscribed to and where the exchange of
 * responses and ACKs stands.
 */
import type { ProxyInfo } from './proxy-info.js';

export interface ProxySyncStatus {
  readonly proxy: ProxyInfo;
  readonly types: readonly TypeSyncStatus[];
}

/**
 * - `synced`: the last response was ACKed and nothing is waiting to be sent;
 * - `pending`: a response awaits its ACK, or changes await sending;
 * - `nacked`: the last response was rejected (see `lastNack`); the proxy runs its
 *   previous config and the rejected versions are not sent again until they change.
 */
export type SyncState = 'synced' | 'pending' | 'nacked';

export interface TypeSyncStatus {
  readonly typeUrl: string;
  readonly wildcard: boolean;
  /** Names subscribed explicitly. */
  readonly subscribedNames: readonly string[];
  /** Resources the proxy holds by the server's account (sent and not rejected). */
  readonly resourceCount: number;
  readonly state: SyncState;
  readonly lastSent: SentRecord | undefined;
  readonly lastAck: { readonly nonce: string; readonly at: Date } | undefined;
  readonly lastNack: NackRecord | undefined;
  /** Requests whose response_nonce was not the awaited one (their ACK/NACK part was ignored). */
  readonly staleNonces: number;
}

export interface SentRecord {
  readonly nonce: string;
  readonly at: Date;
  readonly resources: number;
  readonly removed: number;
}

export interface NackRecord {
  readonly nonce: string;
  readonly at: Date;
  /** error_detail.code and .message as the proxy sent them. */
  readonly code: number;
  readonly message: string;
  /** Rejected versions by name (`null`: a rejected removal), at most `MAX_NACK_NAMES` of them. */
  readonly rejected: Readonly<Record<string, string | null>>;
  readonly rejectedCount: number;
}

/** A NACK record keeps this many names; the count says how many there were. */
export const MAX_NACK_NAMES = 100;
/** Error details come from proxies; the record keeps this many characters. */
export const MAX_NACK_MESSAGE = 4096;
