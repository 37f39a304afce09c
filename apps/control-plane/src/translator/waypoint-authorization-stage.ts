import { securityV1 } from '@ambit/xds';
import type { MeshModel, ModelDelta, ResourceChanges, ResourceId } from '@ambit/mesh-model';
import { DeltaCollector } from './delta-collector.js';
import { DependencyIndex } from './dependency-index.js';
import type { ResourceDelta, Translated } from './translated.js';
import { WAYPOINT_DEP, waypointAuthorizations } from './waypoint-authorization.js';

/**
 * The translator's waypoint-authorization step: AuthorizationPolicies attached with
 * targetRefs in, the Authorizations of each waypoint out. Incremental by dependency,
 * like the L7 stage: each policy records what it looked up (its targets, the waypoint
 * binding of each targeted service), and a batch rebuilds the policies it changed and
 * those whose lookups it touched. Outputs share the Authorization map with ztunnel's;
 * their names (under `waypoint/` or `waypoints/`) never meet a ztunnel one.
 */
export class WaypointAuthorizationStage {
  readonly #model: MeshModel;
  readonly #current: Map<string, Translated<securityV1.Authorization>>;
  /** Policy key → the output names it produced last. */
  readonly #outputs = new Map<string, readonly string[]>();
  readonly #dependencies = new DependencyIndex();

  constructor(model: MeshModel, current: Map<string, Translated<securityV1.Authorization>>) {
    this.#model = model;
    this.#current = current;
  }

  /** After the model applied `changes` (which gave `delta`): rebuilds the policies they can affect. */
  afterApply(changes: ResourceChanges, delta: ModelDelta): { readonly authorizations: ResourceDelta<securityV1.Authorization>; readonly rebuilt: number } {
    const policies = new Set(delta.authorizationPolicies);
    const touched = [
      ...[...delta.services].map(WAYPOINT_DEP.service),
      ...[...(changes.upserted ?? []).map((r): ResourceId => ({ group: r.group, kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name })), ...(changes.removed ?? [])].map(WAYPOINT_DEP.resource),
    ];
    for (const dep of touched) for (const key of this.#dependencies.readersOf(dep)) policies.add(key);
    return { authorizations: this.#rebuild(policies), rebuilt: policies.size };
  }

  /** Rebuilds every policy from scratch: the reference the incremental path must equal. */
  rebuildAll(): ResourceDelta<securityV1.Authorization> {
    return this.#rebuild(new Set([...this.#model.view.authorizationPolicies()].map((p) => p.key)));
  }

  #rebuild(keys: ReadonlySet<string>): ResourceDelta<securityV1.Authorization> {
    const collector = new DeltaCollector(securityV1.Authorization, this.#current);
    for (const key of [...keys].sort()) {
      const policy = this.#model.authorizationPolicy(key);
      const reads = new Set<string>();
      const outputs = policy === undefined ? new Map<string, securityV1.Authorization>() : waypointAuthorizations(this.#model, policy, reads);
      for (const name of this.#outputs.get(key) ?? []) if (!outputs.has(name)) collector.set(name, undefined);
      for (const [name, resource] of outputs) collector.set(name, resource);
      if (outputs.size === 0) this.#outputs.delete(key);
      else this.#outputs.set(key, [...outputs.keys()]);
      this.#dependencies.set(key, reads);
    }
    return collector.result();
  }
}
