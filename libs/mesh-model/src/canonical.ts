import { LABEL } from './istio-labels.js';
import type { Labels } from './labels.js';

/**
 * Istio's canonical service (pkg/kube/labels CanonicalService): the first of
 * `service.istio.io/canonical-name`, `app.kubernetes.io/name`, `app`, else the workload
 * name; the revision from `service.istio.io/canonical-revision`,
 * `app.kubernetes.io/version`, `version`, else `latest`.
 */
export function canonicalService(labels: Labels, workloadName: string): { readonly name: string; readonly revision: string } {
  return {
    name: first(labels, [LABEL.canonicalName, 'app.kubernetes.io/name', 'app']) ?? workloadName,
    revision: first(labels, [LABEL.canonicalRevision, 'app.kubernetes.io/version', 'version']) ?? 'latest',
  };
}

function first(labels: Labels, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = labels[key];
    if (value !== undefined) return value;
  }
  return undefined;
}
