import type { Resource } from '@ambit/config-model';
import { securityV1, workloadV1, type MessageCodec } from '@ambit/xds';
import { compare, MeshModel, type MeshSettings, type ModelDelta, type ResourceChanges } from '@ambit/mesh-model';
import { authorizationOf } from './authorization.js';
import { convertedPeerAuthenticationName, staticStrictPolicyName } from './names.js';
import { convertPeerAuthentication, staticStrictAuthorization } from './peer-authentication.js';
import { serviceAddress } from './service.js';
import { contentVersion } from './version.js';
import { workloadAddress } from './workload.js';

/** One output resource: its xDS name, its content version and the message. */
export interface Translated<T> {
  readonly name: string;
  readonly version: string;
  readonly resource: T;
}

/** What changed for one resource type: upserts carry new versions; removals are names. */
export interface ResourceDelta<T> {
  readonly upserted: readonly Translated<T>[];
  readonly removed: readonly string[];
}

/** How many outputs were rebuilt, changed or not: what incrementality saves is measured here, never in time. */
export interface Recomputed {
  readonly workloads: number;
  readonly services: number;
  readonly authorizations: number;
}

export interface TranslationDelta {
  /** `ambit.workload.v1.Address`: workloads by uid, services by `namespace/hostname`. */
  readonly addresses: ResourceDelta<workloadV1.Address>;
  /** `ambit.security.v1.Authorization` by `namespace/name`. */
  readonly authorizations: ResourceDelta<securityV1.Authorization>;
  readonly recomputed: Recomputed;
}

/** Every output resource of a mesh, sorted by name. */
export interface Translation {
  readonly addresses: readonly Translated<workloadV1.Address>[];
  readonly authorizations: readonly Translated<securityV1.Authorization>[];
}

/**
 * The translator stage: model in, ztunnel's xDS resources out. `apply` takes a batch of
 * input changes and returns exactly the outputs that changed or disappeared,
 * rebuilding only those the model says the batch can affect. Pure and synchronous.
 */
export class Translator {
  readonly model: MeshModel;
  readonly #addresses = new Map<string, Translated<workloadV1.Address>>();
  readonly #authorizations = new Map<string, Translated<securityV1.Authorization>>();

  constructor(settings: Partial<MeshSettings> = {}) {
    this.model = new MeshModel(settings);
  }

  apply(changes: ResourceChanges): TranslationDelta {
    return rebuild(this.model, this.model.apply(changes), this.#addresses, this.#authorizations);
  }

  /** The current outputs, sorted by name. */
  snapshot(): Translation {
    return { addresses: sorted(this.#addresses), authorizations: sorted(this.#authorizations) };
  }
}

/** Rebuilds the outputs a model delta names, updating the current sets and returning what really changed. */
function rebuild(
  model: MeshModel,
  delta: ModelDelta,
  currentAddresses: Map<string, Translated<workloadV1.Address>>,
  currentAuthorizations: Map<string, Translated<securityV1.Authorization>>,
): TranslationDelta {
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

/** Applies rebuilt resources to the current set, keeping only real changes (by version). */
class DeltaCollector<T> {
  readonly #codec: MessageCodec<T>;
  readonly #current: Map<string, Translated<T>>;
  readonly #upserted: Translated<T>[] = [];
  readonly #removed: string[] = [];

  constructor(codec: MessageCodec<T>, current: Map<string, Translated<T>>) {
    this.#codec = codec;
    this.#current = current;
  }

  set(name: string, resource: T | undefined): void {
    const current = this.#current.get(name);
    if (resource === undefined) {
      if (current === undefined) return;
      this.#current.delete(name);
      this.#removed.push(name);
      return;
    }
    const version = contentVersion(this.#codec, name, resource);
    if (current?.version === version) return;
    const translated = { name, version, resource };
    this.#current.set(name, translated);
    this.#upserted.push(translated);
  }

  result(): ResourceDelta<T> {
    return { upserted: this.#upserted, removed: this.#removed };
  }
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
  return { addresses: sorted(addresses), authorizations: sorted(authorizations) };
}
