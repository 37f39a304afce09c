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
  /** The verified client certificate; the control plane authorizes by its identity. */
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
 * Called with each proxy's first request: returns what it may see (`undefined`: all) or
 * throws to refuse the stream with PERMISSION_DENIED (the error's message is the reason).
 */
export type AdmitProxy = (proxy: ProxyInfo) => ResourceFilter | undefined;
