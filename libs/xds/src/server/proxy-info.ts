import type { JsonObject } from '../proto/struct.js';
import type { PeerIdentity } from '../tls/peer.js';

/** A connected proxy, as its first request and its TLS handshake describe it. */
export interface ProxyInfo {
  /** Unique per server for the life of the process. */
  readonly streamId: string;
  readonly node: {
    readonly id: string;
    readonly cluster: string;
    readonly userAgentName: string;
    /** Node metadata (role, node name, namespace, …) as JSON. */
    readonly metadata: JsonObject;
  };
  /**
   * The verified client certificate, by whose identity the control plane authorizes;
   * undefined when the proxy sent none (it then authenticates with a bearer token).
   */
  readonly peer: PeerIdentity | undefined;
  /** `ip:port` of the connection. */
  readonly remoteAddress: string;
  readonly connectedAt: Date;
}

/**
 * Whether a proxy may see a resource. `resource` is the object given to the
 * `ResourceCache` of `typeUrl`; a proxy is sent only resources it may see, and a resource
 * it may no longer see is removed from it.
 */
export type ResourceFilter = (typeUrl: string, name: string, resource: unknown) => boolean;

/**
 * What a call carries to prove who it is besides its TLS peer. Handed to the callbacks
 * that authenticate and then dropped: never part of `ProxyInfo`, the sync state or an
 * event, so that no debug endpoint or log line can show it.
 */
export interface CallAuthentication {
  /** The token of the call's `authorization: Bearer <token>` metadata; undefined when there is none. */
  readonly bearerToken: string | undefined;
  /** Aborted when the call ends or its time to authenticate runs out. */
  readonly signal: AbortSignal;
}

/**
 * Called with each proxy's first request: returns (or resolves to) what it may see
 * (`undefined`: all), or throws (rejects) to refuse the stream — with the status the
 * error carries as `grpcCode` (e.g. UNAUTHENTICATED), else PERMISSION_DENIED; the
 * error's message is the reason. When the call carries a bearer token, admit must verify
 * it. Requests that arrive meanwhile wait; the wait counts against `firstRequestTimeoutMs`.
 */
export type AdmitProxy = (proxy: ProxyInfo, authentication: CallAuthentication) => ResourceFilter | undefined | Promise<ResourceFilter | undefined>;
