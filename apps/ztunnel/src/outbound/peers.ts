import type { TrafficPeers } from '../telemetry/index.js';
import type { OutboundPlan } from './plan.js';

/**
 * Who an outbound connection is between, as the source-side TCP metrics label it: the
 * local workload, and the workload that answers the next hop (the waypoint's, through
 * one) with the service it was addressed to. Mesh traffic is mutual TLS; passthrough and
 * workloads outside the mesh are plain TCP (`unknown`), as ztunnel reports them.
 */
export function outboundPeers(plan: OutboundPlan): TrafficPeers {
  return {
    reporter: 'source',
    securityPolicy: plan.protocol === 'HBONE' ? 'mutual_tls' : 'unknown',
    source: plan.source,
    // The source presents its own certificate: its principal is known at this end too.
    derivedSource: { identity: plan.source.identity },
    ...(plan.destinationWorkload === undefined ? {} : { destination: plan.destinationWorkload }),
    ...(plan.destinationService === undefined ? {} : { destinationService: plan.destinationService }),
  };
}
