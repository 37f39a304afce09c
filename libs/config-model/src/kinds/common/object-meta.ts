import * as z from 'zod';
import { annotationMap, dns1123Label, labelMap } from '../../schema/primitives.js';
import { obj } from '../../schema/object.js';

const ownerReference = obj({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/**
 * Kubernetes ObjectMeta. Fields the API server sets (uid, resourceVersion, …) are
 * accepted so that `kubectl get -o yaml` output validates; only the name is required.
 */
export function objectMeta(name: z.ZodType<string>) {
  return obj({
    name,
    namespace: dns1123Label().optional(),
    labels: labelMap().optional(),
    annotations: annotationMap().optional(),
    generateName: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.int().min(0).optional(),
    creationTimestamp: z.string().nullable().optional(),
    deletionTimestamp: z.string().nullable().optional(),
    deletionGracePeriodSeconds: z.int().min(0).optional(),
    ownerReferences: z.array(ownerReference).optional(),
    finalizers: z.array(z.string()).optional(),
    managedFields: z.array(z.record(z.string(), z.unknown())).optional(),
    selfLink: z.string().optional(),
  });
}
