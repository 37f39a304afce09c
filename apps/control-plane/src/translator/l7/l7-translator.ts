import type { Resource } from '@ambit/config-model';
import { compare, type MeshModel, type ModelDelta, type ResourceChanges, type ResourceId } from '@ambit/mesh-model';
import { l7V1, type MessageCodec, type MessageInit } from '@ambit/xds';
import { DeltaCollector } from '../delta-collector.js';
import { DependencyIndex } from '../dependency-index.js';
import type { ResourceDelta, Translated } from '../translated.js';
import { serviceClusters } from './cluster.js';
import { DEP, type Reads } from './deps.js';
import { L7Index } from './l7-index.js';
import { gatewayOutputs } from './listener.js';
import { L7Lookup } from './lookup.js';
import { waypointRouteTables, type Compiled } from './route-tables.js';

/** The L7 outputs of one batch. */
export interface L7Delta {
  readonly routeTables: ResourceDelta<l7V1.RouteTable>;
  readonly clusters: ResourceDelta<l7V1.Cluster>;
  readonly listeners: ResourceDelta<l7V1.Listener>;
  /** Roots rebuilt (a service's clusters, a service's route tables, a Gateway): what incrementality saves. */
  readonly rebuilt: number;
}

/** The current L7 outputs, by name. */
export interface L7Outputs {
  readonly routeTables: Map<string, Translated<l7V1.RouteTable>>;
  readonly clusters: Map<string, Translated<l7V1.Cluster>>;
  readonly listeners: Map<string, Translated<l7V1.Listener>>;
}

/**
 * A unit of rebuilding: `clusters:<service>`, `routes:<service>` (its waypoint's route
 * tables) or `gateway:<namespace/name>` (the Listener and route tables of a Gateway).
 */
type Root = string;
const ROOT = {
  clusters: (service: string) => `clusters:${service}`,
  routes: (service: string) => `routes:${service}`,
  gateway: (gateway: string) => `gateway:${gateway}`,
};

interface RootOutputs {
  readonly routeTables: readonly Compiled<l7V1.RouteTable>[];
  readonly clusters: readonly Compiled<l7V1.Cluster>[];
  readonly listeners: readonly Compiled<l7V1.Listener>[];
}

const KINDS = ['routeTables', 'clusters', 'listeners'] as const;
const CODECS = { routeTables: l7V1.RouteTable, clusters: l7V1.Cluster, listeners: l7V1.Listener } as const;

/**
 * The L7 stage of the translator: VirtualService, DestinationRule and Gateway (with
 * the services and workloads they name) in; RouteTables, Clusters and Listeners out.
 * Incremental by dependency: each root records the inputs it read (DEP keys), and a
 * batch rebuilds only the roots whose inputs it touched. `beforeApply` and
 * `afterApply` bracket the model's own apply, so that both the old and the new version
 * of a changed resource say what they touch.
 */
export class L7Translator {
  readonly #model: MeshModel;
  readonly #index: L7Index;
  readonly #lookup: L7Lookup;
  readonly #outputs: L7Outputs = { routeTables: new Map(), clusters: new Map(), listeners: new Map() };
  readonly #rootOutputs = new Map<Root, { [K in (typeof KINDS)[number]]: readonly string[] }>();
  readonly #dependencies = new DependencyIndex();
  /** The services each workload served when last seen, to touch the subsets it leaves. */
  readonly #workloadServices = new Map<string, readonly string[]>();
  #touched = new Set<string>();

  constructor(model: MeshModel) {
    this.#model = model;
    this.#index = new L7Index(model.settings.clusterDomain);
    this.#lookup = new L7Lookup(model, this.#index);
  }

  get outputs(): L7Outputs {
    return this.#outputs;
  }

  /** Before the model applies `changes`: unindexes the old versions of the routing resources they name. */
  beforeApply(changes: ResourceChanges): void {
    this.#touched = new Set();
    const ids: ResourceId[] = [...(changes.upserted ?? []).map((r) => ({ group: r.group, kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name })), ...(changes.removed ?? [])];
    for (const id of ids) {
      const old = this.#model.config.resource(id);
      if (old !== undefined) this.#index.change(old, false, this.#touched);
    }
  }

  /** After the model applied `changes` (which gave `delta`): indexes the new versions and rebuilds what they touch. */
  afterApply(changes: ResourceChanges, delta: ModelDelta): L7Delta {
    const touched = this.#touched;
    for (const resource of changes.upserted ?? []) this.#index.change(resource as Resource, true, touched);
    const roots = new Set<Root>();
    for (const key of delta.services) this.#serviceChanged(key, roots, touched);
    for (const uid of delta.workloads) this.#workloadChanged(uid, touched);
    for (const gateway of this.#index.gateways()) if (touched.has(DEP.gateway(gateway))) roots.add(ROOT.gateway(gateway));
    for (const dep of touched) for (const root of this.#dependencies.readersOf(dep)) roots.add(root);
    return this.#rebuild(roots);
  }

  /** Rebuilds every root from scratch: the reference the incremental path must equal. */
  rebuildAll(): L7Delta {
    const roots = new Set<Root>();
    for (const key of this.#model.view.serviceKeys()) {
      roots.add(ROOT.clusters(key));
      roots.add(ROOT.routes(key));
    }
    for (const gateway of this.#index.gateways()) roots.add(ROOT.gateway(gateway));
    return this.#rebuild(roots);
  }

  /** Indexes a whole mesh's routing resources (for a full translation). */
  indexAll(resources: readonly Resource[]): void {
    for (const resource of resources) this.#index.change(resource, true, new Set());
  }

  #serviceChanged(key: string, roots: Set<Root>, touched: Set<string>): void {
    roots.add(ROOT.clusters(key));
    roots.add(ROOT.routes(key));
    // Keys are `namespace/hostname`; a namespace holds no "/".
    touched.add(DEP.host(key.slice(key.indexOf('/') + 1)));
  }

  #workloadChanged(uid: string, touched: Set<string>): void {
    const before = this.#workloadServices.get(uid) ?? [];
    const after = this.#model.workload(uid)?.services.map((b) => b.service.key) ?? [];
    for (const key of [...before, ...after]) touched.add(DEP.members(key));
    if (after.length === 0) this.#workloadServices.delete(uid);
    else this.#workloadServices.set(uid, after);
  }

  #rebuild(roots: ReadonlySet<Root>): L7Delta {
    const collectors = {
      routeTables: new DeltaCollector(l7V1.RouteTable, this.#outputs.routeTables),
      clusters: new DeltaCollector(l7V1.Cluster, this.#outputs.clusters),
      listeners: new DeltaCollector(l7V1.Listener, this.#outputs.listeners),
    };
    const produced = { routeTables: new Map<string, unknown>(), clusters: new Map<string, unknown>(), listeners: new Map<string, unknown>() };
    const dropped = { routeTables: new Set<string>(), clusters: new Set<string>(), listeners: new Set<string>() };
    // Sorted, so that two roots claiming one name resolve the same way every time.
    for (const root of [...roots].sort(compare)) {
      const reads: Reads = new Set();
      const outputs = this.#build(root, reads);
      this.#dependencies.set(root, reads);
      const previous = this.#rootOutputs.get(root);
      const names = { routeTables: [] as string[], clusters: [] as string[], listeners: [] as string[] };
      for (const kind of KINDS) {
        for (const [name, init] of outputs[kind]) {
          if (!produced[kind].has(name)) produced[kind].set(name, complete(CODECS[kind] as MessageCodec<unknown>, init));
          names[kind].push(name);
        }
        for (const name of previous?.[kind] ?? []) dropped[kind].add(name);
      }
      if (KINDS.every((k) => names[k].length === 0)) this.#rootOutputs.delete(root);
      else this.#rootOutputs.set(root, names);
    }
    for (const kind of KINDS) {
      const collector = collectors[kind] as DeltaCollector<unknown>;
      for (const name of dropped[kind]) if (!produced[kind].has(name)) collector.set(name, undefined);
      for (const [name, resource] of produced[kind]) collector.set(name, resource);
    }
    return { routeTables: collectors.routeTables.result(), clusters: collectors.clusters.result(), listeners: collectors.listeners.result(), rebuilt: roots.size };
  }

  #build(root: Root, reads: Reads): RootOutputs {
    const none: RootOutputs = { routeTables: [], clusters: [], listeners: [] };
    const colon = root.indexOf(':');
    const [kind, key] = [root.slice(0, colon), root.slice(colon + 1)];
    if (kind === 'gateway') {
      const { listener, routeTables } = gatewayOutputs(this.#lookup, key, reads);
      return { ...none, routeTables, listeners: listener === undefined ? [] : [listener] };
    }
    const view = this.#model.service(key);
    if (view === undefined) return none;
    const service = view.source;
    if (kind === 'routes') {
      return view.waypoint.kind === 'bound' ? { ...none, routeTables: waypointRouteTables(this.#lookup, service, view.waypoint.waypoint.key, reads) } : none;
    }
    // One owner per hostname (ServiceEntries of several namespaces may share one): the first namespace.
    reads.add(DEP.host(service.hostname));
    if (this.#lookup.service(service.hostname, service.namespace)?.key !== service.key) return none;
    reads.add(DEP.members(service.key));
    return { ...none, clusters: serviceClusters(this.#model, service, this.#lookup.rule(service, reads)) };
  }
}

/** The complete message (every field present, as a proxy decodes it) of an initialiser. */
function complete<T>(codec: MessageCodec<T>, init: MessageInit<T>): T {
  return codec.decode(codec.encode(init));
}
