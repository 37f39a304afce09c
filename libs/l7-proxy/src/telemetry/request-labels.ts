import { SpiffeId } from '@ambit/crypto';
import { peerLabels, SOURCE_LABEL_NAMES, type Service, type Workload } from '@ambit/workload-state';

/** Istio's standard HTTP metric labels (its telemetry v2 `istio_requests_total` dimensions). */
export const REQUEST_LABEL_NAMES = [
  'reporter',
  ...SOURCE_LABEL_NAMES,
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

/**
 * Which proxy reports: a waypoint (`waypoint`, the destination side of the mesh's mutual
 * TLS), or a gateway (`source`: Istio's gateways report as the client of the mesh).
 */
export type Reporter = 'waypoint' | 'source';

/** Who took part in one request, as the proxy knows it. */
export interface RequestPeers {
  readonly reporter: Reporter;
  /** The source's identity: the original client's, verified (waypoint), or the gateway's own (source reporter). */
  readonly sourceIdentity?: string;
  /** The source workload, found by the client's address and matching that identity. */
  readonly source?: Workload;
  readonly destination?: Workload;
  readonly destinationService?: Service;
  readonly protocol: 'http' | 'grpc';
  readonly status: number;
  readonly responseFlags: string;
}

/**
 * The labels of one request as a proxy reports them: the peer labels ztunnel builds too,
 * with the source workload (the client's for a waypoint, the gateway itself for the
 * source reporter), else what its identity says (namespace); the principals are SPIFFE
 * IDs (`spiffe://cluster.local/ns/demo/sa/client`), as Istio writes them; the
 * destination from the endpoint's workload and the service of its cluster. A waypoint
 * reports `mutual_tls` (HBONE on both sides); a source reporter `unknown`, as Istio's
 * client-side proxies do (the policy is the destination's to know).
 */
export function requestLabels(peers: RequestPeers): RequestLabels {
  const { sourceIdentity } = peers;
  const derivedSource = sourceIdentity === undefined ? undefined : { identity: sourceIdentity, namespace: namespaceOf(sourceIdentity) };
  const labels: RequestLabels = {
    reporter: peers.reporter,
    ...peerLabels({ ...peers, ...(derivedSource === undefined ? {} : { derivedSource }) }),
    request_protocol: peers.protocol,
    // Envoy reports 0 when the client went away before a response.
    response_code: String(peers.status),
    response_flags: peers.responseFlags === '' ? '-' : peers.responseFlags,
    connection_security_policy: peers.reporter === 'waypoint' ? 'mutual_tls' : 'unknown',
  };
  // In Istio's HTTP order (the exposition lists labels as given), not the TCP order of the peer labels.
  return Object.fromEntries(REQUEST_LABEL_NAMES.map((name) => [name, labels[name]])) as RequestLabels;
}

function namespaceOf(identity: string): string | undefined {
  try {
    return SpiffeId.parse(identity).namespace;
  } catch {
    return undefined;
  }
}
