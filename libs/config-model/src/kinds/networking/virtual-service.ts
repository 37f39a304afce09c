import * as z from 'zod';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';

export const virtualService = defineKind({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: istioStatus(),
  },
});
