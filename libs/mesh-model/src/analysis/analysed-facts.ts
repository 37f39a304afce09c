import { attachedPolicyFacts } from './attached-policy.js';
import { note } from './codes.js';
import type { AnalysedResource } from './config-index.js';
import type { AnalysisContext, Facts } from './context.js';
import { destinationRuleFacts } from './destination-rule.js';
import { istioGatewayFacts } from './istio-gateway.js';
import { virtualServiceFacts } from './virtual-service.js';

/** The status facts of a resource that only the analysis reads, by kind. */
export function analysedFacts(ctx: AnalysisContext, resource: AnalysedResource): Facts {
  switch (resource.kind) {
    case 'VirtualService':
      return virtualServiceFacts(ctx, resource);
    case 'DestinationRule':
      return destinationRuleFacts(ctx, resource);
    case 'Gateway':
      return istioGatewayFacts(ctx, resource);
    case 'RequestAuthentication':
    case 'Telemetry':
      return attachedPolicyFacts(ctx, resource);
    case 'Sidecar':
      return {
        appliedTo: [],
        notes: [note('SidecarUnsupported', 'a Sidecar configures sidecar proxies; workloads in the ambient mesh have none, so it has no effect', { hint: 'remove it; use a waypoint for what needs a proxy at L7' })],
      };
  }
}
