import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { checkCredentialNamespaces, destinationRuleSpec } from './destination-rule/spec.js';
import { checkExportTo } from './export-to.js';

/**
 * networking.istio.io DestinationRule: policies for traffic to a service after routing
 * (load balancing, connection pools, outlier detection, client TLS, subsets). Every
 * field of the Istio API; validation as Istio's webhook and CRD apply it (see
 * docs/configuration.md).
 */
export const destinationRule = defineKind({
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: destinationRuleSpec(),
    status: istioStatus(),
  },
  refine: (object, ctx) => {
    const namespace = object.metadata.namespace;
    checkExportTo(ctx, object.spec.exportTo, namespace, { workloadSelector: object.spec.workloadSelector !== undefined });
    checkCredentialNamespaces(ctx, object.spec, namespace);
  },
});
