import { validateAll, WorkloadState, type StateUpdate, type StateView } from '@ambit/workload-state';
import type { l7V1, workloadV1 } from '@ambit/xds';
import { InvalidResourceError, PROXY_STATE_ERRORS, UpdateRejectedError } from './errors.js';
import { validateCluster, validateListener, type RouteTableRules } from './l7-resources.js';

/** The route tables and clusters the proxy executes, by xDS name. */
export interface L7Resources {
  readonly routeTables: ReadonlyMap<string, l7V1.RouteTable>;
  readonly clusters: ReadonlyMap<string, l7V1.Cluster>;
}

/**
 * Checks a candidate set of L7 resources before it replaces the current one (the engine
 * compiles it); throwing rejects the response, which is then NACKed with the message.
 */
export type L7Check = (candidate: L7Resources) => void;

/** What every part of the proxy but the xDS adapter reads: the shared workload state, the L7 resources and a gateway's Listeners. */
export interface MeshView extends StateView, L7Resources {
  /** The name of the route table for a listener context (its rules' `contextKey`, e.g. a service port `namespace/hostname:port`), if the proxy has one. */
  routeTableFor(contextKey: string): string | undefined;
  /** A gateway's Listeners (`namespace/name` of the Gateway); empty for a waypoint. */
  readonly listeners: ReadonlyMap<string, l7V1.Listener>;
  readonly sizes: { readonly workloads: number; readonly services: number; readonly routeTables: number; readonly clusters: number; readonly listeners: number };
}

export interface MeshStateOptions {
  /** What this proxy's route tables must be. */
  readonly routeTables: RouteTableRules;
  /** Sees every candidate set of route tables and clusters before it is applied (default: accept). */
  readonly check?: L7Check;
}

/**
 * The single writer of a proxy's state: the shared workload state (Address), the route
 * tables and clusters, and a gateway's Listeners. The xDS adapter hands it each response; it validates
 * every resource of the response first and applies the response whole, or throws
 * UpdateRejectedError and changes nothing (the adapter NACKs and the last good state
 * stays). Everyone else reads through `view`; its `onChange` fires for both.
 */
export class MeshState {
  readonly view: MeshView;
  readonly #check: L7Check;
  readonly #rules: RouteTableRules;
  readonly #workloads = new WorkloadState(PROXY_STATE_ERRORS);
  #routeTables: ReadonlyMap<string, l7V1.RouteTable> = new Map();
  #clusters: ReadonlyMap<string, l7V1.Cluster> = new Map();
  #gatewayListeners: ReadonlyMap<string, l7V1.Listener> = new Map();
  /** Context key → route table name. */
  #tablesByContext: ReadonlyMap<string, string> = new Map();
  readonly #listeners = new Set<() => void>();

  constructor(options: MeshStateOptions) {
    this.#check = options.check ?? (() => undefined);
    this.#rules = options.routeTables;
    const shared = this.#workloads.view;
    // An applied Address response is a change of the mesh too.
    shared.onChange(() => this.#changed());
    const routeTables = (): ReadonlyMap<string, l7V1.RouteTable> => this.#routeTables;
    const clusters = (): ReadonlyMap<string, l7V1.Cluster> => this.#clusters;
    const gatewayListeners = (): ReadonlyMap<string, l7V1.Listener> => this.#gatewayListeners;
    const sizes = (): MeshView['sizes'] => ({ workloads: shared.workloads.size, services: shared.services.size, routeTables: this.#routeTables.size, clusters: this.#clusters.size, listeners: this.#gatewayListeners.size });
    this.view = Object.freeze({
      workloads: shared.workloads,
      services: shared.services,
      policies: shared.policies,
      waitForWorkload: (uid: string, timeoutMs: number) => shared.waitForWorkload(uid, timeoutMs),
      routeTableFor: (key: string) => this.#tablesByContext.get(key),
      get routeTables() {
        return routeTables();
      },
      get clusters() {
        return clusters();
      },
      get listeners() {
        return gatewayListeners();
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
    const rules = this.#rules;
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: rules.validate(name, resource) }), PROXY_STATE_ERRORS);
    const routeTables = applied(this.#routeTables, valid, update.removed);
    const byContext = new Map<string, string>();
    const problems: InvalidResourceError[] = [];
    for (const [name, table] of rules.contextKey === undefined ? [] : routeTables) {
      const key = rules.contextKey!(table);
      const other = byContext.get(key);
      if (other !== undefined) problems.push(new InvalidResourceError('RouteTable', name, table.context ?? 'context', `is also the context of route table ${JSON.stringify(other)}: one table per listener context`));
      byContext.set(key, name);
    }
    if (problems.length > 0) throw new UpdateRejectedError(problems);
    this.#commitL7({ routeTables, clusters: this.#clusters });
    this.#tablesByContext = byContext;
    this.#changed();
  }

  /** Applies one Cluster response whole (after the L7 check), or throws UpdateRejectedError and applies nothing. */
  applyClusters(update: StateUpdate<l7V1.Cluster>): void {
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateCluster(name, resource) }), PROXY_STATE_ERRORS);
    this.#commitL7({ routeTables: this.#routeTables, clusters: applied(this.#clusters, valid, update.removed) });
    this.#changed();
  }

  /** Applies one Listener response (a gateway's) whole, or throws UpdateRejectedError and applies nothing. */
  applyListeners(update: StateUpdate<l7V1.Listener>): void {
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateListener(name, resource) }), PROXY_STATE_ERRORS);
    this.#gatewayListeners = applied(this.#gatewayListeners, valid, update.removed);
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
