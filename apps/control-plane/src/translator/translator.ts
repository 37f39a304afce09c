import type { Resource } from '@ambit/config-model';
import { securityV1, workloadV1, type l7V1 } from '@ambit/xds';
import { compare, MeshModel, type MeshSettings, type ModelDelta, type ResourceChanges } from '@ambit/mesh-model';
import { authorizationOf } from './authorization.js';
import { DeltaCollector } from './delta-collector.js';
import { L7Translator, type L7Delta, type L7Outputs } from './l7/index.js';
import { convertedPeerAuthenticationName, staticStrictPolicyName } from './names.js';
import { convertPeerAuthentication, staticStrictAuthorization } from './peer-authentication.js';
import { serviceAddress } from './service.js';
import type { ResourceDelta, Translated } from './translated.js';
import { WaypointAuthorizationStage } from './waypoint-authorization-stage.js';
import { workloadAddress } from './workload.js';

export type { ResourceDelta, Translated } from './translated.js';

/** How many outputs were rebuilt, changed or not: what incrementality saves is measured here, never in time. */
export interface Recomputed {
  readonly workloads: number;
  readonly services: number;
  readonly authorizations: number;
  /** L7 roots: a service's clusters, a service's waypoint route tables, a Gateway. */
  readonly l7: number;
}

export interface TranslationDelta {
  /** `ambit.workload.v1.Address`: workloads by uid, services by `namespace/hostname`. */
  readonly addresses: ResourceDelta<workloadV1.Address>;
  /** `ambit.security.v1.Authorization`: ztunnel's by `namespace/name`, waypoints' under `waypoint/<waypoint>/` or `waypoints/`. */
  readonly authorizations: ResourceDelta<securityV1.Authorization>;
  /** `ambit.l7.v1.RouteTable`, `Cluster` and `Listener`, for waypoints and gateways. */
  readonly routeTables: ResourceDelta<l7V1.RouteTable>;
  readonly clusters: ResourceDelta<l7V1.Cluster>;
  readonly listeners: ResourceDelta<l7V1.Listener>;
  readonly recomputed: Recomputed;
}

/** Every output resource of a mesh, sorted by name. */
export interface Translation {
  readonly addresses: readonly Translated<workloadV1.Address>[];
  readonly authorizations: readonly Translated<securityV1.Authorization>[];
  readonly routeTables: readonly Translated<l7V1.RouteTable>[];
  readonly clusters: readonly Translated<l7V1.Cluster>[];
  readonly listeners: readonly Translated<l7V1.Listener>[];
}

/**
 * The translator stage: model in, xDS resources out (ztunnel's L4 ones, and the L7
 * ones of waypoints and gateways, their Authorizations included). `apply` takes a batch of
 * input changes and returns exactly the outputs that changed or disappeared,
 * rebuilding only those the model says the batch can affect. Pure and synchronous.
 */
export class Translator {
  readonly model: MeshModel;
  readonly #addresses = new Map<string, Translated<workloadV1.Address>>();
  readonly #authorizations = new Map<string, Translated<securityV1.Authorization>>();
  readonly #l7: L7Translator;
  readonly #waypointAuthorizations: WaypointAuthorizationStage;

  constructor(settings: Partial<MeshSettings> = {}) {
    this.model = new MeshModel(settings);
    this.#l7 = new L7Translator(this.model);
    this.#waypointAuthorizations = new WaypointAuthorizationStage(this.model, this.#authorizations);
  }

  apply(changes: ResourceChanges): TranslationDelta {
    this.#l7.beforeApply(changes);
    const delta = this.model.apply(changes);
    const l4 = rebuild(this.model, delta, this.#addresses, this.#authorizations);
    const waypoint = this.#waypointAuthorizations.afterApply(changes, delta);
    const authorizations = mergeDeltas(l4.authorizations, waypoint.authorizations);
    const recomputed = { ...l4.recomputed, authorizations: l4.recomputed.authorizations + waypoint.rebuilt };
    return withL7({ ...l4, authorizations, recomputed }, this.#l7.afterApply(changes, delta));
  }

  /** The current outputs, sorted by name. */
  snapshot(): Translation {
    return { addresses: sorted(this.#addresses), authorizations: sorted(this.#authorizations), ...sortedL7(this.#l7.outputs) };
  }
}

type L4Delta = Pick<TranslationDelta, 'addresses' | 'authorizations'> & { readonly recomputed: Omit<Recomputed, 'l7'> };

function withL7(l4: L4Delta, l7: L7Delta): TranslationDelta {
  const { rebuilt, ...resources } = l7;
  return { ...l4, ...resources, recomputed: { ...l4.recomputed, l7: rebuilt } };
}

/** Two deltas of one type over disjoint names (ztunnel's and the waypoints' Authorizations). */
function mergeDeltas<T>(a: ResourceDelta<T>, b: ResourceDelta<T>): ResourceDelta<T> {
  return { upserted: [...a.upserted, ...b.upserted], removed: [...a.removed, ...b.removed] };
}

function sortedL7(outputs: L7Outputs): Pick<Translation, 'routeTables' | 'clusters' | 'listeners'> {
  return { routeTables: sorted(outputs.routeTables), clusters: sorted(outputs.clusters), listeners: sorted(outputs.listeners) };
}

/** Rebuilds the outputs a model delta names, updating the current sets and returning what really changed. */
function rebuild(
  model: MeshModel,
  delta: ModelDelta,
  currentAddresses: Map<string, Translated<workloadV1.Address>>,
  currentAuthorizations: Map<string, Translated<securityV1.Authorization>>,
): L4Delta {
  const { settings } = model;
  const addresses = new DeltaCollector(workloadV1.Address, currentAddresses);
  const authorizations = new DeltaCollector(securityV1.Authorization, currentAuthorizations);
  for (const uid of delta.workloads) {
    const view = model.workload(uid);
    addresses.set(uid, view && workloadAddress(view, settings));
  }
  for (const key of delta.services) {
    const view = model.service(key);
    addresses.set(key, view && serviceAddress(view, settings));
  }
  for (const key of delta.authorizationPolicies) {
    const policy = model.authorizationPolicy(key);
    authorizations.set(key, policy && authorizationOf(policy, settings.rootNamespace));
  }
  for (const key of delta.peerAuthentications) {
    // Keys are `namespace/name`; a namespace holds no "/".
    const slash = key.indexOf('/');
    const view = model.peerAuthentication(key);
    authorizations.set(convertedPeerAuthenticationName(key.slice(0, slash), key.slice(slash + 1)), view && convertPeerAuthentication(view, settings.rootNamespace));
  }
  if (delta.peerAuthenticationsChanged) {
    const strict = model.hasPeerAuthentications() ? staticStrictAuthorization(settings.rootNamespace) : undefined;
    authorizations.set(staticStrictPolicyName(settings.rootNamespace), strict);
  }
  return {
    addresses: addresses.result(),
    authorizations: authorizations.result(),
    recomputed: {
      workloads: delta.workloads.size,
      services: delta.services.size,
      authorizations: delta.authorizationPolicies.size + delta.peerAuthentications.size + (delta.peerAuthenticationsChanged ? 1 : 0),
    },
  };
}

function sorted<T>(map: ReadonlyMap<string, Translated<T>>): Translated<T>[] {
  return [...map.values()].sort((a, b) => compare(a.name, b.name));
}

/**
 * A full translation of a mesh from scratch: every output of every resource, without
 * the incremental bookkeeping. The reference the incremental path must equal.
 */
export function translate(resources: readonly Resource[], settings: Partial<MeshSettings> = {}): Translation {
  const model = new MeshModel(settings);
  model.apply({ upserted: resources });
  const store = model.view;
  // Every output name the model knows, whatever a batch's impact analysis would say.
  const everything: ModelDelta = {
    workloads: new Set([...store.workloads()].map((w) => w.uid)),
    services: new Set(store.serviceKeys()),
    authorizationPolicies: new Set([...store.authorizationPolicies()].map((p) => p.key)),
    peerAuthentications: new Set([...store.peerAuthentications()].map((p) => p.key)),
    peerAuthenticationsChanged: true,
  };
  const addresses = new Map<string, Translated<workloadV1.Address>>();
  const authorizations = new Map<string, Translated<securityV1.Authorization>>();
  rebuild(model, everything, addresses, authorizations);
  new WaypointAuthorizationStage(model, authorizations).rebuildAll();
  const l7 = new L7Translator(model);
  l7.indexAll(resources);
  l7.rebuildAll();
  return { addresses: sorted(addresses), authorizations: sorted(authorizations), ...sortedL7(l7.outputs) };
}
