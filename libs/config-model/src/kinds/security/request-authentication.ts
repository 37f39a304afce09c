import * as z from 'zod';
import { SECURITY_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';

export const requestAuthentication = defineKind({
  group: 'security.istio.io',
  kind: 'RequestAuthentication',
  versions: SECURITY_VERSIONS,
  namespaced: true,
  body: {
    spec: z.record(z.string(), z.unknown()).optional(),
    status: istioStatus(),
  },
});
