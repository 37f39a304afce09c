import type { SpiffeId } from '@ambit/crypto';
import type { workloadV1 } from '@ambit/xds';
import { IpAddress } from '../ip/ip-address.js';
import type { RequestFacts } from './request.js';

/**
 * What the destination's policies are looked up by: its namespace (namespace-scoped
 * policies) and the keys it lists (workload-selector policies). A decoded
 * `ambit.workload.v1.Workload` is one.
 */
export type DestinationWorkload = Pick<workloadV1.Workload, 'namespace' | 'authorizationPolicies'>;

/**
 * An inbound connection as ztunnel authorizes it (its `rbac::Connection`): who is
 * calling from where, and to which workload, address and port.
 */
export interface Connection {
  /**
   * The peer's verified identity when the connection came over HBONE (mutual TLS);
   * undefined for a plaintext connection, which then has no principal and no namespace.
   */
  readonly identity: SpiffeId | undefined;
  /** The peer's address as the socket reports it (`::ffff:`-mapped IPv4 is IPv4). */
  readonly sourceIp: string;
  /** The address the connection is for: the destination workload's own address. */
  readonly destinationIp: string;
  readonly destinationPort: number;
  readonly destination: DestinationWorkload;
}

const SPIFFE_SCHEME = 'spiffe://';

/**
 * A connection's attributes in the form the matchers read, overwritten per decision
 * (one instance per engine, so deciding allocates nothing). As in ztunnel's
 * `Authorization::matches` (src/rbac.rs): the principal is the identity without
 * `spiffe://` (here: the URI and the offset after the scheme, -1 without identity), and
 * a plaintext connection's namespace is the empty string.
 */
export class ConnectionFacts {
  principal = '';
  principalFrom = -1;
  namespace = '';
  port = 0;
  readonly source = new IpAddress();
  readonly destination = new IpAddress();
  /** The HTTP request's attributes at a waypoint; undefined at L4, where every HTTP attribute is absent. */
  request: RequestFacts | undefined = undefined;

  /** Loads a connection; false when an address does not parse (the engine then refuses it). */
  load(connection: Omit<Connection, 'destination'>): boolean {
    const identity = connection.identity;
    if (identity === undefined) {
      this.principal = '';
      this.principalFrom = -1;
      this.namespace = '';
    } else {
      this.principal = identity.toString();
      this.principalFrom = this.principal.startsWith(SPIFFE_SCHEME) ? SPIFFE_SCHEME.length : -1;
      this.namespace = identity.namespace;
    }
    this.port = connection.destinationPort;
    return this.source.parse(connection.sourceIp) && this.destination.parse(connection.destinationIp);
  }
}
