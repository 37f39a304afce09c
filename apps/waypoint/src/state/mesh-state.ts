import { validateAll, WorkloadState, type StateUpdate, type StateView } from '@ambit/workload-state';
import type { l7V1, workloadV1 } from '@ambit/xds';
import { InvalidResourceError, UpdateRejectedError, WAYPOINT_STATE_ERRORS } from './errors.js';
import { routeTableContextKey, validateCluster, validateRouteTable } from './l7-resources.js';

/** The route tables and clusters the waypoint executes, by xDS name. */
export interface L7Resources {
  readonly routeTables: ReadonlyMap<string, l7V1.RouteTable>;
  readonly clusters: ReadonlyMap<string, l7V1.Cluster>;
}

/**
 * Checks a candidate set of L7 resources before it replaces the current one (the engine
 * compiles it); throwing rejects the response, which is then NACKed with the message.
 */
export type L7Check = (candidate: L7Resources) => void;

/** What every part of the waypoint but the xDS adapter reads: the shared workload state and the L7 resources. */
export interface MeshView extends StateView, L7Resources {
  /** The name of the route table for traffic to a service port (`namespace/hostname`, port), if the waypoint has one. */
  routeTableFor(serviceKey: string, port: number): string | undefined;
  readonly sizes: { readonly workloads: number; readonly services: number; readonly routeTables: number; readonly clusters: number };
}

/**
 * The single writer of the waypoint's state: the shared workload state (Address) and
 * the route tables and clusters. The xDS adapter hands it each response; it validates
 * every resource of the response first and applies the response whole, or throws
 * UpdateRejectedError and changes nothing (the adapter NACKs and the last good state
 * stays). Everyone else reads through `view`; its `onChange` fires for both.
 */
export class MeshState {
  readonly view: MeshView;
  readonly #check: L7Check;
  readonly #workloads = new WorkloadState(WAYPOINT_STATE_ERRORS);
  #routeTables: ReadonlyMap<string, l7V1.RouteTable> = new Map();
  #clusters: ReadonlyMap<string, l7V1.Cluster> = new Map();
  /** `namespace/hostname:port` → route table name. */
  #tablesByContext: ReadonlyMap<string, string> = new Map();
  readonly #listeners = new Set<() => void>();

  /** `check` sees every candidate set of route tables and clusters before it is applied (default: accept). */
  constructor(check: L7Check = () => undefined) {
    this.#check = check;
    const shared = this.#workloads.view;
    // An applied Address response is a change of the mesh too.
    shared.onChange(() => this.#changed());
    const routeTables = (): ReadonlyMap<string, l7V1.RouteTable> => this.#routeTables;
    const clusters = (): ReadonlyMap<string, l7V1.Cluster> => this.#clusters;
    const sizes = (): MeshView['sizes'] => ({ workloads: shared.workloads.size, services: shared.services.size, routeTables: this.#routeTables.size, clusters: this.#clusters.size });
    this.view = Object.freeze({
      workloads: shared.workloads,
      services: shared.services,
      policies: shared.policies,
      waitForWorkload: (uid: string, timeoutMs: number) => shared.waitForWorkload(uid, timeoutMs),
      routeTableFor: (key: string, port: number) => this.#tablesByContext.get(`${key}:${port}`),
      get routeTables() {
        return routeTables();
      },
      get clusters() {
        return clusters();
      },
      get sizes() {
        return sizes();
      },
      onChange: (listener: () => void) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
    });
  }

  /** Applies one Address response (workloads and services) whole, or throws UpdateRejectedError and applies nothing. */
  applyAddresses(update: StateUpdate<workloadV1.Address>): void {
    this.#workloads.applyAddresses(update);
  }

  /** Applies one RouteTable response whole (after the L7 check), or throws UpdateRejectedError and applies nothing. */
  applyRouteTables(update: StateUpdate<l7V1.RouteTable>): void {
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateRouteTable(name, resource) }), WAYPOINT_STATE_ERRORS);
    const routeTables = applied(this.#routeTables, valid, update.removed);
    const byContext = new Map<string, string>();
    const problems: InvalidResourceError[] = [];
    for (const [name, table] of routeTables) {
      const key = routeTableContextKey(table);
      const other = byContext.get(key);
      if (other !== undefined) problems.push(new InvalidResourceError('RouteTable', name, 'service', `is also the context of route table ${JSON.stringify(other)}: one table per service port`));
      byContext.set(key, name);
    }
    if (problems.length > 0) throw new UpdateRejectedError(problems);
    this.#commitL7({ routeTables, clusters: this.#clusters });
    this.#tablesByContext = byContext;
    this.#changed();
  }

  /** Applies one Cluster response whole (after the L7 check), or throws UpdateRejectedError and applies nothing. */
  applyClusters(update: StateUpdate<l7V1.Cluster>): void {
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateCluster(name, resource) }), WAYPOINT_STATE_ERRORS);
    this.#commitL7({ routeTables: this.#routeTables, clusters: applied(this.#clusters, valid, update.removed) });
    this.#changed();
  }

  #commitL7(candidate: L7Resources): void {
    try {
      this.#check(candidate);
    } catch (error) {
      throw new UpdateRejectedError([error instanceof Error ? error : new Error(String(error))]);
    }
    this.#routeTables = candidate.routeTables;
    this.#clusters = candidate.clusters;
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** A copy of `current` with `removed` deleted and `upserted` set. */
function applied<T>(current: ReadonlyMap<string, T>, upserted: readonly { readonly name: string; readonly resource: T }[], removed: readonly string[]): Map<string, T> {
  const next = new Map(current);
  for (const name of removed) next.delete(name);
  for (const { name, resource } of upserted) next.set(name, resource);
  return next;
}
