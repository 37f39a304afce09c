import { peerLabels, SOURCE_LABEL_NAMES, type Peers } from '@ambit/workload-state';

/** Istio's TCP metric labels, in ztunnel's order (`CommonTrafficLabels`, src/proxy/metrics.rs). */
export const TCP_LABEL_NAMES = [
  'reporter',
  ...SOURCE_LABEL_NAMES,
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

/** Who talks to whom over one connection, as the reporter knows it. */
export interface TrafficPeers extends Peers {
  readonly reporter: Reporter;
  readonly securityPolicy: SecurityPolicy;
}

/** The labels of one connection, built as ztunnel builds them (`From<ConnectionOpen>`): the shared peer labels; response flags start as `-`. */
export function trafficLabels(peers: TrafficPeers): TrafficLabels {
  return {
    reporter: peers.reporter,
    ...peerLabels(peers),
    request_protocol: 'tcp',
    response_flags: '-',
    connection_security_policy: peers.securityPolicy,
  };
}
