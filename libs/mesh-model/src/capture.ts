import { DATAPLANE_MODE_AMBIENT } from './istio-labels.js';
import type { StoreView } from './store.js';
import type { WorkloadSource } from './workload-source.js';

/**
 * Whether ztunnel captures a pod (istio-cni's enablement selector): never with a
 * sidecar; a pod's own `istio.io/dataplane-mode` label decides (`none` opts out);
 * without one, its namespace's does. WorkloadEntries are never captured.
 */
export function captured(store: StoreView, workload: WorkloadSource): boolean {
  const enrolment = workload.enrolment;
  if (enrolment.kind !== 'pod' || enrolment.sidecar) return false;
  if (enrolment.mode !== undefined) return enrolment.mode === DATAPLANE_MODE_AMBIENT;
  return store.namespace(workload.namespace)?.ambient === true;
}
