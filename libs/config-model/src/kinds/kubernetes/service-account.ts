import * as z from 'zod';
import { defineKind } from '../define-kind.js';
import { localObjectReference, objectReference } from './common.js';

/**
 * core/v1 ServiceAccount. The mesh derives workload identities
 * (`spiffe://<trust-domain>/ns/<namespace>/sa/<name>`) from ServiceAccount names; a
 * ServiceAccount has no spec, only these top-level fields.
 */
export const serviceAccount = defineKind({
  group: '',
  kind: 'ServiceAccount',
  versions: ['v1'],
  namespaced: true,
  body: {
    secrets: z.array(objectReference()).optional(),
    imagePullSecrets: z.array(localObjectReference()).optional(),
    automountServiceAccountToken: z.boolean().optional(),
  },
});
