import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { checkExportTo } from './export-to.js';
import { virtualServiceSpec } from './virtual-service/spec.js';

/**
 * networking.istio.io VirtualService: how requests to a set of hosts are matched and
 * routed. Every field of the Istio API; validation as Istio's webhook and CRD apply it
 * (see docs/configuration.md).
 */
export const virtualService = defineKind({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: virtualServiceSpec(),
    status: istioStatus(),
  },
  refine: (object, ctx) => {
    checkExportTo(ctx, object.spec.exportTo, object.metadata.namespace);
  },
});
