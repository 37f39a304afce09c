import type { Resource } from '@ambit/config-model';
import { compare } from './compare.js';
import type { MeshSettings } from './mesh-settings.js';
import { namespaceEntry, type NamespaceEntry } from './namespace.js';
import { nodeEntry, type NodeEntry } from './node.js';
import { authorizationPolicyEntry, peerAuthenticationEntry, type AuthorizationPolicyEntry, type PeerAuthenticationEntry } from './policy.js';
import { idKey, idOf, type ResourceId } from './resource-id.js';
import { kubernetesService, serviceEntryServices, type ServiceSource } from './service-source.js';
import type { StatusNote } from './status-note.js';
import { waypointOf, type Waypoint } from './waypoint.js';
import { waypointKey } from './waypoint-use.js';
import { podWorkload, serviceEntryWorkloads, workloadEntryWorkload, type WorkloadSource } from './workload-source.js';

/** What one input resource contributes to the mesh, normalised once when it is stored. */
export type Entry =
  | { readonly kind: 'Namespace'; readonly namespace: NamespaceEntry }
  | { readonly kind: 'Node'; readonly node: NodeEntry }
  | { readonly kind: 'Workloads'; readonly workloads: readonly WorkloadSource[] }
  | { readonly kind: 'Services'; readonly services: readonly ServiceSource[]; readonly workloads: readonly WorkloadSource[] }
  | { readonly kind: 'Gateway'; readonly key: string; readonly waypoint: Waypoint | undefined }
  | { readonly kind: 'AuthorizationPolicy'; readonly policy: AuthorizationPolicyEntry }
  | { readonly kind: 'PeerAuthentication'; readonly policy: PeerAuthenticationEntry };

interface Stored {
  readonly entry: Entry;
  readonly notes: readonly StatusNote[];
}

/** The read side of the store, which resolution and impact analysis use. */
export interface StoreView {
  readonly settings: MeshSettings;
  entry(id: ResourceId): Entry | undefined;
  notes(id: ResourceId): readonly StatusNote[];
  namespace(name: string): NamespaceEntry | undefined;
  node(name: string): NodeEntry | undefined;
  workload(uid: string): WorkloadSource | undefined;
  workloads(): Iterable<WorkloadSource>;
  workloadsIn(namespace: string): Iterable<WorkloadSource>;
  workloadsOn(node: string): Iterable<WorkloadSource>;
  /** The source that owns a service name: a Service before ServiceEntries, then ServiceEntries by name. */
  service(key: string): ServiceSource | undefined;
  /** Every source that claims a service name, owner first. */
  serviceClaimants(key: string): readonly ServiceSource[];
  serviceKeys(): Iterable<string>;
  serviceKeysIn(namespace: string): Iterable<string>;
  waypoint(key: string): Waypoint | undefined;
  /** Whether a Gateway (of any class) has this key; tells "not a waypoint" from "does not exist". */
  hasGateway(key: string): boolean;
  authorizationPolicy(key: string): AuthorizationPolicyEntry | undefined;
  authorizationPolicies(): Iterable<AuthorizationPolicyEntry>;
  authorizationPoliciesIn(namespace: string): Iterable<AuthorizationPolicyEntry>;
  peerAuthentication(key: string): PeerAuthenticationEntry | undefined;
  peerAuthentications(): Iterable<PeerAuthenticationEntry>;
  /** Sorted by name: Ambit's stand-in for Istio's "oldest wins" (normalised resources carry no creation time). */
  peerAuthenticationsIn(namespace: string): readonly PeerAuthenticationEntry[];
}

/** Whether the model reads this kind at all; the others (routing, telemetry, …) belong to other stages. */
export function isModelKind(group: string, kind: string): boolean {
  return (
    (group === '' && (kind === 'Namespace' || kind === 'Node' || kind === 'Service' || kind === 'Pod')) ||
    (group === 'networking.istio.io' && (kind === 'WorkloadEntry' || kind === 'ServiceEntry')) ||
    (group === 'security.istio.io' && (kind === 'AuthorizationPolicy' || kind === 'PeerAuthentication')) ||
    (group === 'gateway.networking.k8s.io' && kind === 'Gateway')
  );
}

/**
 * The model's state: every input resource it reads, what each contributes, and the
 * indexes that resolution needs (by namespace, by node, by service name). One writer:
 * MeshModel.apply.
 */
export class MeshStore implements StoreView {
  readonly settings: MeshSettings;
  readonly #stored = new Map<string, Stored>();
  readonly #namespaces = new Map<string, NamespaceEntry>();
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #workloads = new Map<string, WorkloadSource>();
  readonly #workloadsByNamespace = new MultiMap<WorkloadSource>();
  readonly #workloadsByNode = new MultiMap<WorkloadSource>();
  readonly #services = new Map<string, ServiceSource[]>();
  readonly #serviceKeysByNamespace = new Map<string, Set<string>>();
  readonly #gateways = new Map<string, Waypoint | undefined>();
  readonly #authorizationPolicies = new Map<string, AuthorizationPolicyEntry>();
  readonly #authorizationByNamespace = new MultiMap<AuthorizationPolicyEntry>();
  readonly #peerAuthentications = new Map<string, PeerAuthenticationEntry>();
  readonly #peerAuthByNamespace = new MultiMap<PeerAuthenticationEntry>();

  constructor(settings: MeshSettings) {
    this.settings = settings;
  }

  /** Stores (or replaces) a resource of a model kind. */
  put(resource: Resource): void {
    this.remove(idOf(resource));
    const { entry, notes } = this.#derive(resource);
    this.#stored.set(idKey(idOf(resource)), { entry, notes });
    this.#index(entry, 1);
  }

  remove(id: ResourceId): void {
    const key = idKey(id);
    const stored = this.#stored.get(key);
    if (stored === undefined) return;
    this.#stored.delete(key);
    this.#index(stored.entry, -1);
  }

  entry(id: ResourceId): Entry | undefined {
    return this.#stored.get(idKey(id))?.entry;
  }

  notes(id: ResourceId): readonly StatusNote[] {
    return this.#stored.get(idKey(id))?.notes ?? [];
  }

  namespace(name: string): NamespaceEntry | undefined {
    return this.#namespaces.get(name);
  }

  node(name: string): NodeEntry | undefined {
    return this.#nodes.get(name);
  }

  workload(uid: string): WorkloadSource | undefined {
    return this.#workloads.get(uid);
  }

  workloads(): Iterable<WorkloadSource> {
    return this.#workloads.values();
  }

  workloadsIn(namespace: string): Iterable<WorkloadSource> {
    return this.#workloadsByNamespace.get(namespace);
  }

  workloadsOn(node: string): Iterable<WorkloadSource> {
    return this.#workloadsByNode.get(node);
  }

  service(key: string): ServiceSource | undefined {
    return this.#services.get(key)?.[0];
  }

  serviceClaimants(key: string): readonly ServiceSource[] {
    return this.#services.get(key) ?? [];
  }

  serviceKeys(): Iterable<string> {
    return this.#services.keys();
  }

  serviceKeysIn(namespace: string): Iterable<string> {
    return this.#serviceKeysByNamespace.get(namespace) ?? [];
  }

  waypoint(key: string): Waypoint | undefined {
    return this.#gateways.get(key);
  }

  hasGateway(key: string): boolean {
    return this.#gateways.has(key);
  }

  authorizationPolicy(key: string): AuthorizationPolicyEntry | undefined {
    return this.#authorizationPolicies.get(key);
  }

  authorizationPolicies(): Iterable<AuthorizationPolicyEntry> {
    return this.#authorizationPolicies.values();
  }

  authorizationPoliciesIn(namespace: string): Iterable<AuthorizationPolicyEntry> {
    return this.#authorizationByNamespace.get(namespace);
  }

  peerAuthentication(key: string): PeerAuthenticationEntry | undefined {
    return this.#peerAuthentications.get(key);
  }

  peerAuthentications(): Iterable<PeerAuthenticationEntry> {
    return this.#peerAuthentications.values();
  }

  peerAuthenticationsIn(namespace: string): readonly PeerAuthenticationEntry[] {
    return [...this.#peerAuthByNamespace.get(namespace)].sort((a, b) => compare(a.name, b.name));
  }

  #derive(resource: Resource): { entry: Entry; notes: readonly StatusNote[] } {
    const settings = this.settings;
    switch (resource.kind) {
      case 'Namespace':
        return { entry: { kind: 'Namespace', namespace: namespaceEntry(resource) }, notes: [] };
      case 'Node':
        return { entry: { kind: 'Node', node: nodeEntry(resource) }, notes: [] };
      case 'Pod': {
        const build = podWorkload(resource, settings);
        return { entry: { kind: 'Workloads', workloads: build.workloads }, notes: build.notes };
      }
      case 'WorkloadEntry': {
        const build = workloadEntryWorkload(resource, settings);
        return { entry: { kind: 'Workloads', workloads: build.workloads }, notes: build.notes };
      }
      case 'Service': {
        const build = kubernetesService(resource, settings);
        return { entry: { kind: 'Services', services: build.services, workloads: [] }, notes: build.notes };
      }
      case 'ServiceEntry': {
        const services = serviceEntryServices(resource);
        const workloads = serviceEntryWorkloads(resource, services.services, settings);
        return { entry: { kind: 'Services', services: services.services, workloads: workloads.workloads }, notes: [...services.notes, ...workloads.notes] };
      }
      case 'Gateway':
        if (resource.group === 'gateway.networking.k8s.io') {
          const key = waypointKey(resource.metadata.namespace, resource.metadata.name);
          return { entry: { kind: 'Gateway', key, waypoint: waypointOf(resource, settings.clusterDomain) }, notes: [] };
        }
        break;
      case 'AuthorizationPolicy':
        return { entry: { kind: 'AuthorizationPolicy', policy: authorizationPolicyEntry(resource) }, notes: [] };
      case 'PeerAuthentication':
        return { entry: { kind: 'PeerAuthentication', policy: peerAuthenticationEntry(resource) }, notes: [] };
    }
    // MeshModel only stores kinds that isModelKind accepts.
    throw new TypeError(`${resource.group}/${resource.kind} is not a model kind`);
  }

  /** Adds (+1) or removes (-1) an entry's contributions to the indexes. */
  #index(entry: Entry, sign: 1 | -1): void {
    const add = sign === 1;
    switch (entry.kind) {
      case 'Namespace':
        setOrDelete(this.#namespaces, entry.namespace.name, add ? entry.namespace : undefined);
        return;
      case 'Node':
        setOrDelete(this.#nodes, entry.node.name, add ? entry.node : undefined);
        return;
      case 'Workloads':
        this.#indexWorkloads(entry.workloads, add);
        return;
      case 'Services':
        this.#indexWorkloads(entry.workloads, add);
        for (const service of entry.services) this.#indexService(service, add);
        return;
      case 'Gateway':
        if (add) this.#gateways.set(entry.key, entry.waypoint);
        else this.#gateways.delete(entry.key);
        return;
      case 'AuthorizationPolicy':
        setOrDelete(this.#authorizationPolicies, entry.policy.key, add ? entry.policy : undefined);
        this.#authorizationByNamespace.update(entry.policy.namespace, entry.policy, add);
        return;
      case 'PeerAuthentication':
        setOrDelete(this.#peerAuthentications, entry.policy.key, add ? entry.policy : undefined);
        this.#peerAuthByNamespace.update(entry.policy.namespace, entry.policy, add);
        return;
    }
  }

  #indexWorkloads(workloads: readonly WorkloadSource[], add: boolean): void {
    for (const w of workloads) {
      setOrDelete(this.#workloads, w.uid, add ? w : undefined);
      this.#workloadsByNamespace.update(w.namespace, w, add);
      if (w.node !== '') this.#workloadsByNode.update(w.node, w, add);
    }
  }

  #indexService(service: ServiceSource, add: boolean): void {
    const claimants = (this.#services.get(service.key) ?? []).filter((s) => s !== service);
    if (add) claimants.push(service);
    if (claimants.length === 0) {
      this.#services.delete(service.key);
      const keys = this.#serviceKeysByNamespace.get(service.namespace);
      keys?.delete(service.key);
      if (keys?.size === 0) this.#serviceKeysByNamespace.delete(service.namespace);
      return;
    }
    // A Kubernetes Service owns its hostname; among ServiceEntries the first by name wins, so the owner never depends on arrival order.
    claimants.sort((a, b) => (a.kind === b.kind ? compare(a.name, b.name) : a.kind === 'Service' ? -1 : 1));
    this.#services.set(service.key, claimants);
    let keys = this.#serviceKeysByNamespace.get(service.namespace);
    if (keys === undefined) this.#serviceKeysByNamespace.set(service.namespace, (keys = new Set()));
    keys.add(service.key);
  }
}

/** Sets of values by key, dropping empty sets. */
class MultiMap<V> {
  readonly #map = new Map<string, Set<V>>();

  get(key: string): Iterable<V> {
    return this.#map.get(key) ?? [];
  }

  update(key: string, value: V, add: boolean): void {
    let set = this.#map.get(key);
    if (add) {
      if (set === undefined) this.#map.set(key, (set = new Set()));
      set.add(value);
    } else if (set !== undefined) {
      set.delete(value);
      if (set.size === 0) this.#map.delete(key);
    }
  }
}

function setOrDelete<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}
