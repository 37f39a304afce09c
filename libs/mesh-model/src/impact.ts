import { selects, type Labels } from './labels.js';
import { serviceSelects } from './service-binding.js';
import type { ServiceSource } from './service-source.js';
import type { Entry, StoreView } from './store.js';
import { requestedWaypoint } from './waypoint-binding.js';
import type { WorkloadSource } from './workload-source.js';

/**
 * What the model must recompute after a batch: the workloads, services and policies
 * whose resolved form may have changed. An over-approximation is allowed (the
 * translator drops outputs whose version did not change); a miss is a bug, which the
 * translator's property test looks for.
 */
export interface ModelDelta {
  /** Workload uids. */
  readonly workloads: ReadonlySet<string>;
  /** Service keys (`namespace/hostname`). */
  readonly services: ReadonlySet<string>;
  /** AuthorizationPolicy keys (`namespace/name`). */
  readonly authorizationPolicies: ReadonlySet<string>;
  /** PeerAuthentication keys (`namespace/name`) whose conversion may have changed. */
  readonly peerAuthentications: ReadonlySet<string>;
  /** Whether any PeerAuthentication came, went or changed (Istio sends its static STRICT policy while one exists). */
  readonly peerAuthenticationsChanged: boolean;
}

export class DeltaBuilder implements ModelDelta {
  readonly workloads = new Set<string>();
  readonly services = new Set<string>();
  readonly authorizationPolicies = new Set<string>();
  readonly peerAuthentications = new Set<string>();
  peerAuthenticationsChanged = false;
}

/**
 * Adds what depends on one entry to the delta. Called with the old entry before it is
 * replaced and with the new one after, each against the store of that moment, so that
 * both what the resource used to affect and what it affects now are recomputed.
 */
export function addImpact(store: StoreView, entry: Entry, delta: DeltaBuilder): void {
  switch (entry.kind) {
    case 'Namespace': {
      // Enrolment, the default waypoint and traffic distribution of everything in it.
      for (const w of store.workloadsIn(entry.namespace.name)) delta.workloads.add(w.uid);
      for (const key of store.serviceKeysIn(entry.namespace.name)) delta.services.add(key);
      return;
    }
    case 'Node':
      for (const w of store.workloadsOn(entry.node.name)) delta.workloads.add(w.uid);
      return;
    case 'Workloads':
      for (const w of entry.workloads) delta.workloads.add(w.uid);
      return;
    case 'Services':
      for (const w of entry.workloads) delta.workloads.add(w.uid);
      for (const service of entry.services) addServiceImpact(store, service, delta);
      return;
    case 'Gateway':
      addWaypointImpact(store, entry.key, delta);
      return;
    case 'AuthorizationPolicy': {
      const policy = entry.policy;
      delta.authorizationPolicies.add(policy.key);
      // Only selector policies are listed on workloads; those of the root namespace select across the mesh.
      if (policy.selector !== undefined) addSelected(store, policy.namespace, policy.selector, delta);
      return;
    }
    case 'PeerAuthentication': {
      const policy = entry.policy;
      delta.peerAuthenticationsChanged = true;
      delta.peerAuthentications.add(policy.key);
      if (policy.selector !== undefined) {
        for (const w of store.workloadsIn(policy.namespace)) if (selects(policy.selector, w.labels)) delta.workloads.add(w.uid);
        return;
      }
      // A namespace (or mesh) default: every workload below it, and the conversions that merge it.
      const mesh = policy.namespace === store.settings.rootNamespace;
      for (const w of mesh ? store.workloads() : store.workloadsIn(policy.namespace)) delta.workloads.add(w.uid);
      for (const p of mesh ? store.peerAuthentications() : store.peerAuthenticationsIn(policy.namespace)) {
        if (p.selector !== undefined) delta.peerAuthentications.add(p.key);
      }
      return;
    }
  }
}

/** A service name's owner may change with any claimant, and every claimant's selection with it. */
function addServiceImpact(store: StoreView, service: ServiceSource, delta: DeltaBuilder): void {
  delta.services.add(service.key);
  const claimants = new Set([service, ...store.serviceClaimants(service.key)]);
  for (const claimant of claimants) {
    if (claimant.selector === undefined) continue;
    for (const w of store.workloadsIn(claimant.namespace)) if (serviceSelects(claimant, w)) delta.workloads.add(w.uid);
  }
}

function addSelected(store: StoreView, namespace: string, selector: Labels, delta: DeltaBuilder): void {
  const workloads: Iterable<WorkloadSource> = namespace === store.settings.rootNamespace ? store.workloads() : store.workloadsIn(namespace);
  for (const w of workloads) if (selects(selector, w.labels)) delta.workloads.add(w.uid);
}

/** Everything that asks for this waypoint, by its own label or its namespace's. */
function addWaypointImpact(store: StoreView, key: string, delta: DeltaBuilder): void {
  for (const w of store.workloads()) {
    if (requestedWaypoint(store, w.waypointLabels, w.namespace) === key) delta.workloads.add(w.uid);
  }
  for (const serviceKey of store.serviceKeys()) {
    const service = store.service(serviceKey);
    if (service !== undefined && requestedWaypoint(store, service.waypointLabels, service.namespace) === key) delta.services.add(serviceKey);
  }
}
