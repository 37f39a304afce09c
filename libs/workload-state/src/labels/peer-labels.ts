import type { Service, Workload } from '../types.js';

/**
 * What the peer proved (its mTLS identity) and what it said about itself (the W3C
 * `baggage` of its CONNECT): ztunnel's `DerivedWorkload`, the source's labels when the
 * source is not a workload the proxy knows by address.
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

/** Who takes part in a connection or request, as the reporting proxy knows them. */
export interface Peers {
  /** The source workload as the state knows it (found by address): wins over `derivedSource`, except for the principal. */
  readonly source?: Workload;
  readonly derivedSource?: DerivedSource;
  readonly destination?: Workload;
  readonly destinationService?: Service;
}

/** The source labels of Istio's TCP and HTTP metrics, in the order both ztunnel and Istio's telemetry v2 list them. */
export const SOURCE_LABEL_NAMES = [
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
] as const;

/** The source and destination labels every Istio TCP and HTTP metric carries. */
export type PeerLabelName =
  | (typeof SOURCE_LABEL_NAMES)[number]
  | 'destination_service'
  | 'destination_service_namespace'
  | 'destination_service_name'
  | 'destination_workload'
  | 'destination_canonical_service'
  | 'destination_canonical_revision'
  | 'destination_workload_namespace'
  | 'destination_principal'
  | 'destination_app'
  | 'destination_version'
  | 'destination_cluster';

/** Istio's placeholder for a missing or empty value (ztunnel's `DefaultedUnknown`). */
export const UNKNOWN_LABEL = 'unknown';

function known(value: string | undefined): string {
  return value === undefined || value === '' ? UNKNOWN_LABEL : value;
}

/**
 * The peer labels as ztunnel builds them (`From<ConnectionOpen>`) and Istio's proxies
 * report them: the derived source first, then the known source workload over it (its
 * `source_app` is the canonical name where the derived one uses the workload name, as
 * ztunnel does), the principal only from the verified identity; the destination
 * principal is the destination workload's identity.
 */
export function peerLabels(peers: Peers): Readonly<Record<PeerLabelName, string>> {
  const { source, derivedSource: derived, destination, destinationService: service } = peers;
  return {
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
  };
}
