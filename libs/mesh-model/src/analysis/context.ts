import type { MeshModel } from '../mesh-model.js';
import { selects, type Labels } from '../labels.js';
import { serviceSelects } from '../service-binding.js';
import type { ServiceSource } from '../service-source.js';
import type { StatusNote } from '../status-note.js';
import type { StatusTarget } from '../status.js';
import type { StoreView } from '../store.js';
import type { WorkloadSource } from '../workload-source.js';
import type { ConfigView, DeclaredHost } from './config-index.js';

/** What an analyser reads: the model (for resolved services and waypoints), its store and the config index. */
export interface AnalysisContext {
  readonly model: MeshModel;
  readonly store: StoreView;
  readonly config: ConfigView;
}

/** What one resource applies to, and the findings about it. */
export interface Facts {
  appliedTo: StatusTarget[];
  notes: StatusNote[];
}

/** The service the model holds for a declared host, if any (ExternalName Services and CIDR ServiceEntries have none). */
export function storedService(ctx: AnalysisContext, host: DeclaredHost): ServiceSource | undefined {
  return ctx.store.service(`${host.namespace}/${host.hostname}`);
}

/** Whether traffic to a service passes a waypoint, the only proxy in ambient mode that applies L7 configuration. */
export function hasWaypoint(ctx: AnalysisContext, service: ServiceSource): boolean {
  return ctx.model.service(service.key)?.waypoint.kind === 'bound';
}

/**
 * The workloads behind a service: those its selector picks, or a ServiceEntry's own
 * endpoints. Undefined when they cannot be known from config (a Service without
 * selector takes its endpoints from EndpointSlices; a DNS ServiceEntry has none).
 */
export function serviceWorkloads(store: StoreView, service: ServiceSource): WorkloadSource[] | undefined {
  const workloads: WorkloadSource[] = [];
  for (const w of store.workloadsIn(service.namespace)) {
    if (w.ownServices === undefined ? serviceSelects(service, w) : w.ownServices.includes(service)) workloads.push(w);
  }
  return workloads.length === 0 && service.selector === undefined ? undefined : workloads;
}

/**
 * The workloads an Istio policy selector picks: `matchLabels` in the policy's namespace,
 * or across the mesh from the root namespace (Istio's workload selection for policies).
 */
export function selectedWorkloads(store: StoreView, namespace: string, selector: Labels): WorkloadSource[] {
  const candidates = namespace === store.settings.rootNamespace ? store.workloads() : store.workloadsIn(namespace);
  return [...candidates].filter((w) => selects(selector, w.labels));
}

export const workloadTarget = (w: WorkloadSource): StatusTarget => ({ kind: 'workload', uid: w.uid });

/** `a, b and 2 more`: lists in messages stay one line long. */
export function listed(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
