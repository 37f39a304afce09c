import * as z from 'zod';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';

export const destinationRule = defineKind({
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: istioStatus(),
  },
});
