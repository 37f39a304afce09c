import * as z from 'zod';
import { obj } from '../../schema/object.js';
import { qualifiedName } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkIstioLabels, conditionStatus } from './common.js';

const namespaceCondition = () =>
  obj({
    type: z.string(),
    status: conditionStatus(),
    lastTransitionTime: z.string().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  });

/**
 * core/v1 Namespace. The mesh reads its labels: `istio.io/dataplane-mode` (ambient
 * enrolment), `istio.io/use-waypoint`, `istio-injection`, `istio.io/rev`.
 * Cluster-scoped: a `metadata.namespace` is accepted and ignored, as the API server
 * clears it.
 */
export const namespace = defineKind({
  group: '',
  kind: 'Namespace',
  versions: ['v1'],
  namespaced: false,
  nameFormat: 'dns1123-label',
  body: {
    spec: obj({
      finalizers: z.array(qualifiedName()).optional(),
    }).optional(),
    status: obj({
      phase: z.enum(['Active', 'Terminating']).optional(),
      conditions: z.array(namespaceCondition()).optional(),
    }).optional(),
  },
  refine: (ns, ctx) => {
    checkIstioLabels(ctx, ns.metadata.labels, { dataplaneMode: true, useWaypoint: true });
  },
});
