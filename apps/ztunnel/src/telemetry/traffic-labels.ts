import type { Service, Workload } from '../state/index.js';

/** Istio's TCP metric labels, in ztunnel's order (`CommonTrafficLabels`, src/proxy/metrics.rs). */
export const TCP_LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_service',
  'destination_service_namespace',
  'destination_service_name',
  'destination_workload',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_cluster',
  'request_protocol',
  'response_flags',
  'connection_security_policy',
] as const;

export type TcpLabelName = (typeof TCP_LABEL_NAMES)[number];
export type TrafficLabels = Readonly<Record<TcpLabelName, string>>;

/** Which end counted: the source's ztunnel (outbound) or the destination's (inbound). */
export type Reporter = 'source' | 'destination';
/** `mutual_tls` for HBONE, `unknown` for plain TCP (ztunnel's `SecurityPolicy`). */
export type SecurityPolicy = 'mutual_tls' | 'unknown';
/** How a connection ended, as ztunnel writes it: `-` (nothing to say), `DENY` (authorization), `CONNECT` (upstream unreachable). */
export type ResponseFlags = '-' | 'DENY' | 'CONNECT';

/**
 * What the peer proved (its mTLS identity) and what it said about itself (the W3C
 * `baggage` of its CONNECT): ztunnel's `DerivedWorkload`, the source's labels when the
 * source is not a workload this ztunnel knows by address.
 */
export interface DerivedSource {
  /** The verified SPIFFE identity (`spiffe://…`): the only source of `source_principal`. */
  readonly identity?: string;
  readonly workloadName?: string;
  readonly app?: string;
  readonly revision?: string;
  readonly namespace?: string;
  readonly cluster?: string;
}

/** Who talks to whom over one connection, as the reporter knows it. */
export interface TrafficPeers {
  readonly reporter: Reporter;
  readonly securityPolicy: SecurityPolicy;
  /** The source workload as the state knows it (found by address): wins over `derivedSource`, except for the principal. */
  readonly source?: Workload;
  readonly derivedSource?: DerivedSource;
  readonly destination?: Workload;
  readonly destinationService?: Service;
}

/** ztunnel's placeholder for a missing or empty value (`DefaultedUnknown`). */
const UNKNOWN = 'unknown';

function known(value: string | undefined): string {
  return value === undefined || value === '' ? UNKNOWN : value;
}

/**
 * The labels of one connection, built as ztunnel builds them (`From<ConnectionOpen>`):
 * the derived source first, then the known source workload over it (its `source_app` is
 * the canonical name where the derived one uses the workload name, as ztunnel does),
 * the principal only from the verified identity; the destination principal is the
 * destination workload's identity. Response flags start as `-`.
 */
export function trafficLabels(peers: TrafficPeers): TrafficLabels {
  const { source, derivedSource: derived, destination, destinationService: service } = peers;
  return {
    reporter: peers.reporter,
    source_workload: known(source?.workloadName ?? derived?.workloadName),
    source_canonical_service: known(source?.canonicalName ?? derived?.app),
    source_canonical_revision: known(source?.canonicalRevision ?? derived?.revision),
    source_workload_namespace: known(source?.namespace ?? derived?.namespace),
    source_principal: known(derived?.identity),
    source_app: known(source?.canonicalName ?? derived?.workloadName),
    source_version: known(source?.canonicalRevision ?? derived?.revision),
    source_cluster: known(source?.clusterId ?? derived?.cluster),
    destination_service: known(service?.hostname),
    destination_service_namespace: known(service?.namespace),
    destination_service_name: known(service?.name),
    destination_workload: known(destination?.workloadName),
    destination_canonical_service: known(destination?.canonicalName),
    destination_canonical_revision: known(destination?.canonicalRevision),
    destination_workload_namespace: known(destination?.namespace),
    destination_principal: known(destination?.identity),
    destination_app: known(destination?.canonicalName),
    destination_version: known(destination?.canonicalRevision),
    destination_cluster: known(destination?.clusterId),
    request_protocol: 'tcp',
    response_flags: '-',
    connection_security_policy: peers.securityPolicy,
  };
}
