import * as z from 'zod';
import { TELEMETRY_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';

export const telemetry = defineKind({
  group: 'telemetry.istio.io',
  kind: 'Telemetry',
  versions: TELEMETRY_VERSIONS,
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: istioStatus(),
  },
});
