import { SpiffeId } from '@ambit/crypto';
import type { Service, Workload } from '../state/index.js';

/** Istio's standard HTTP metric labels (its telemetry v2 `istio_requests_total` dimensions). */
export const REQUEST_LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service_name',
  'destination_service_namespace',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'response_flags',
  'connection_security_policy',
] as const;

export type RequestLabelName = (typeof REQUEST_LABEL_NAMES)[number];
export type RequestLabels = Readonly<Record<RequestLabelName, string>>;

/** Who took part in one request, as the waypoint knows it. */
export interface RequestPeers {
  /** The original client's verified identity (the HBONE client certificate ztunnel presented for it). */
  readonly sourceIdentity?: string;
  /** The source workload, found by the client's address and matching that identity. */
  readonly source?: Workload;
  readonly destination?: Workload;
  readonly destinationService?: Service;
  readonly protocol: 'http' | 'grpc';
  readonly status: number;
  readonly responseFlags: string;
}

/** Istio's placeholder for a value the proxy does not know. */
const UNKNOWN = 'unknown';

function known(value: string | undefined): string {
  return value === undefined || value === '' ? UNKNOWN : value;
}

/**
 * The labels of one request as a waypoint reports them (reporter="waypoint"): the source
 * from the client's workload, else what its verified identity says (namespace); the
 * principals are SPIFFE IDs (`spiffe://cluster.local/ns/demo/sa/client`), as Istio writes them; the
 * destination from the endpoint's workload and the service of its cluster. The waypoint
 * always speaks mutual TLS on both sides (HBONE).
 */
export function requestLabels(peers: RequestPeers): RequestLabels {
  const { source, destination, destinationService: service } = peers;
  const sourceNamespace = source?.namespace ?? namespaceOf(peers.sourceIdentity);
  return {
    reporter: 'waypoint',
    source_workload: known(source?.workloadName),
    source_canonical_service: known(source?.canonicalName),
    source_canonical_revision: known(source?.canonicalRevision),
    source_workload_namespace: known(sourceNamespace),
    source_principal: known(peers.sourceIdentity),
    source_app: known(source?.canonicalName),
    source_version: known(source?.canonicalRevision),
    source_cluster: known(source?.clusterId),
    destination_workload: known(destination?.workloadName),
    destination_workload_namespace: known(destination?.namespace),
    destination_principal: known(destination?.identity),
    destination_app: known(destination?.canonicalName),
    destination_version: known(destination?.canonicalRevision),
    destination_service: known(service?.hostname),
    destination_canonical_service: known(destination?.canonicalName),
    destination_canonical_revision: known(destination?.canonicalRevision),
    destination_service_name: known(service?.name),
    destination_service_namespace: known(service?.namespace),
    destination_cluster: known(destination?.clusterId),
    request_protocol: peers.protocol,
    // Envoy reports 0 when the client went away before a response.
    response_code: String(peers.status),
    response_flags: peers.responseFlags === '' ? '-' : peers.responseFlags,
    connection_security_policy: 'mutual_tls',
  };
}

function namespaceOf(identity: string | undefined): string | undefined {
  if (identity === undefined) return undefined;
  try {
    return SpiffeId.parse(identity).namespace;
  } catch {
    return undefined;
  }
}
