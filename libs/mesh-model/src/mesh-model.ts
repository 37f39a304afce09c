import type { Resource } from '@ambit/config-model';
import { ConfigIndex, isIndexedKind, type ConfigView } from './analysis/config-index.js';
import { ConflictingChangeError } from './errors.js';
import { captured } from './capture.js';
import { addImpact, DeltaBuilder, type ModelDelta } from './impact.js';
import { meshSettings, type MeshSettings } from './mesh-settings.js';
import type { Locality } from './node.js';
import type { AuthorizationPolicyEntry, PeerAuthenticationEntry } from './policy.js';
import { describeId, idKey, idOf, type ResourceId } from './resource-id.js';
import { bindServices, type ServiceBinding } from './service-binding.js';
import type { ServiceSource } from './service-source.js';
import { resourceStatus, type ResourceStatus } from './status.js';
import { isModelKind, MeshStore, type StoreView } from './store.js';
import { loadBalancingPreference, type LoadBalancingPreference } from './traffic-distribution.js';
import { bindWaypoint, type WaypointBinding } from './waypoint-binding.js';
import { effectivePeerAuthentication, peerAuthenticationParents, selectorPolicies, type EffectivePeerAuthentication } from './workload-policies.js';
import type { WorkloadSource } from './workload-source.js';

/** One batch of input changes: resources added or updated, and resources gone. */
export interface ResourceChanges {
  readonly upserted?: readonly Resource[];
  readonly removed?: readonly ResourceId[];
}

/** A workload with everything resolved against the rest of the mesh. */
export interface WorkloadView {
  readonly source: WorkloadSource;
  /** Reached through its node's ztunnel over HBONE (captured, or speaking HBONE natively). */
  readonly hbone: boolean;
  readonly waypoint: WaypointBinding;
  readonly services: readonly ServiceBinding[];
  /** Keys of the selector AuthorizationPolicies that apply, sorted. */
  readonly authorizationPolicies: readonly string[];
  readonly peerAuthentication: EffectivePeerAuthentication;
  readonly locality: Locality | undefined;
}

/** A service with everything resolved against the rest of the mesh. */
export interface ServiceView {
  readonly source: ServiceSource;
  readonly waypoint: WaypointBinding;
  readonly loadBalancing: LoadBalancingPreference | undefined;
}

/** What a workload policy's conversion for ztunnel merges: the policy and its parents. */
export interface PeerAuthenticationView {
  readonly policy: PeerAuthenticationEntry;
  readonly namespace: PeerAuthenticationEntry | undefined;
  readonly mesh: PeerAuthenticationEntry | undefined;
}

/**
 * The mesh as the workload API sees it: namespaces, nodes, services, workloads,
 * waypoints and the policies ztunnel enforces, indexed from the validated input
 * resources. Read-only to everyone but the one caller of `apply`; queries resolve on
 * demand (what a workload serves, which waypoint and policies apply), so that a
 * consumer pays only for what it asks about.
 */
export class MeshModel {
  readonly settings: MeshSettings;
  readonly #store: MeshStore;
  readonly #config: ConfigIndex;

  constructor(settings: Partial<MeshSettings> = {}) {
    this.settings = meshSettings(settings);
    this.#store = new MeshStore(this.settings);
    this.#config = new ConfigIndex(this.settings);
  }

  /**
   * Applies a batch and says what may have changed. Kinds the model does not read are
   * ignored; removing an unknown resource is a no-op; a resource may appear once per
   * batch (ConflictingChangeError otherwise, before anything is applied). Routing and
   * L7 policy kinds go to the analysis index only: they change status, never the delta.
   */
  apply(changes: ResourceChanges): ModelDelta {
    const read = (group: string, kind: string): boolean => isModelKind(group, kind) || isIndexedKind(group, kind);
    const upserted = (changes.upserted ?? []).filter((r) => read(r.group, r.kind));
    const removed = (changes.removed ?? []).filter((id) => read(id.group, id.kind));
    const seen = new Set<string>();
    for (const id of [...upserted.map(idOf), ...removed]) {
      const key = idKey(id);
      if (seen.has(key)) throw new ConflictingChangeError(describeId(id), 'names a resource twice');
      seen.add(key);
    }
    const delta = new DeltaBuilder();
    const store = this.#store;
    const change = (id: ResourceId, next: Resource | undefined): void => {
      if (isIndexedKind(id.group, id.kind)) {
        if (next === undefined) this.#config.remove(id);
        else this.#config.put(next);
      }
      if (!isModelKind(id.group, id.kind)) return;
      const before = store.entry(id);
      if (before !== undefined) addImpact(store, before, delta);
      if (next === undefined) store.remove(id);
      else store.put(next);
      const after = store.entry(id);
      if (after !== undefined) addImpact(store, after, delta);
    };
    for (const resource of upserted) change(idOf(resource), resource);
    for (const id of removed) change(id, undefined);
    return delta;
  }

  /** The store's read side, for the translator's enumerations and for tests. */
  get view(): StoreView {
    return this.#store;
  }

  /** The analysis index: routing, gateway and L7 policy resources, declared hosts, Secret names. */
  get config(): ConfigView {
    return this.#config;
  }

  workload(uid: string): WorkloadView | undefined {
    const store = this.#store;
    const source = store.workload(uid);
    if (source === undefined) return undefined;
    return {
      source,
      hbone: source.nativeHbone || captured(store, source),
      waypoint: bindWaypoint(store, 'workload', source.waypointLabels, source.namespace),
      services: bindServices(store, source),
      authorizationPolicies: selectorPolicies(store, source),
      peerAuthentication: effectivePeerAuthentication(store, source),
      locality: source.kind === 'Pod' ? store.node(source.node)?.locality : source.locality,
    };
  }

  service(key: string): ServiceView | undefined {
    const store = this.#store;
    const source = store.service(key);
    if (source === undefined) return undefined;
    return {
      source,
      waypoint: bindWaypoint(store, 'service', source.waypointLabels, source.namespace),
      loadBalancing: loadBalancingPreference(source.nodeLocal, source.trafficDistribution, source.annotations, store.namespace(source.namespace)?.annotations ?? {}),
    };
  }

  authorizationPolicy(key: string): AuthorizationPolicyEntry | undefined {
    return this.#store.authorizationPolicy(key);
  }

  peerAuthentication(key: string): PeerAuthenticationView | undefined {
    const policy = this.#store.peerAuthentication(key);
    return policy === undefined ? undefined : { policy, ...peerAuthenticationParents(this.#store, policy) };
  }

  /** Whether any PeerAuthentication exists (Istio then sends its static STRICT policy). */
  hasPeerAuthentications(): boolean {
    return !this.#store.peerAuthentications()[Symbol.iterator]().next().done;
  }

  /** What a stored resource applies to, or why it applies to nothing; undefined for a resource the model does not hold. */
  status(id: ResourceId): ResourceStatus | undefined {
    return resourceStatus(this, id);
  }
}
