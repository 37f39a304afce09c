import type { l7V1, workloadV1 } from '@ambit/xds';
import { convertAddress, type ConvertedAddress } from './convert-address.js';
import { InvalidResourceError, UpdateRejectedError } from './errors.js';
import { networkAddressKey } from './ip.js';
import { routeTableContextKey, validateCluster, validateRouteTable } from './l7-resources.js';
import type { Service, Workload } from './types.js';

/** One xDS response's changes for one type (the shape of libs/xds `ResourceUpdate`). */
export interface StateUpdate<T> {
  readonly upserted: readonly { readonly name: string; readonly resource: T }[];
  readonly removed: readonly string[];
}

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

/** What every part of the waypoint but the xDS adapter reads. */
export interface MeshView extends L7Resources {
  workloadByUid(uid: string): Workload | undefined;
  /** The workload that owns `ip` on `network` (a pod IP). */
  workloadByAddress(network: string, ip: string): Workload | undefined;
  serviceByKey(key: string): Service | undefined;
  /** The service that owns a virtual IP on `network`. */
  serviceByVip(network: string, ip: string): Service | undefined;
  /** The uids of the workloads that back a service, whether or not the service is known yet. */
  endpointUids(serviceKey: string): ReadonlySet<string>;
  /** The name of the route table for traffic to a service port (`namespace/hostname`, port), if the waypoint has one. */
  routeTableFor(serviceKey: string, port: number): string | undefined;
  readonly sizes: { readonly workloads: number; readonly services: number; readonly routeTables: number; readonly clusters: number };
  /** Calls `listener` after each applied update; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

const NO_UIDS: ReadonlySet<string> = new Set();

/**
 * The single writer of the waypoint's state. The xDS adapter hands it each response; it
 * validates every resource of the response first and applies the response whole, or
 * throws UpdateRejectedError and changes nothing (the adapter NACKs and the last good
 * state stays). Everyone else reads through `view`.
 */
export class MeshState {
  readonly view: MeshView;
  readonly #check: L7Check;
  readonly #workloads = new Map<string, Workload>();
  readonly #workloadsByAddress = new Map<string, Workload>();
  readonly #services = new Map<string, Service>();
  readonly #servicesByVip = new Map<string, Service>();
  readonly #endpoints = new Map<string, Set<string>>();
  #routeTables: ReadonlyMap<string, l7V1.RouteTable> = new Map();
  #clusters: ReadonlyMap<string, l7V1.Cluster> = new Map();
  /** `namespace/hostname:port` → route table name. */
  #tablesByContext: ReadonlyMap<string, string> = new Map();
  readonly #listeners = new Set<() => void>();

  /** `check` sees every candidate set of route tables and clusters before it is applied (default: accept). */
  constructor(check: L7Check = () => undefined) {
    this.#check = check;
    const routeTables = (): ReadonlyMap<string, l7V1.RouteTable> => this.#routeTables;
    const clusters = (): ReadonlyMap<string, l7V1.Cluster> => this.#clusters;
    const sizes = (): MeshView['sizes'] => ({ workloads: this.#workloads.size, services: this.#services.size, routeTables: this.#routeTables.size, clusters: this.#clusters.size });
    this.view = Object.freeze({
      workloadByUid: (uid: string) => this.#workloads.get(uid),
      workloadByAddress: (network: string, ip: string) => this.#workloadsByAddress.get(networkAddressKey(network, ip)),
      serviceByKey: (key: string) => this.#services.get(key),
      serviceByVip: (network: string, ip: string) => this.#servicesByVip.get(networkAddressKey(network, ip)),
      endpointUids: (key: string) => this.#endpoints.get(key) ?? NO_UIDS,
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
    const converted = validateAll(update.upserted, ({ name, resource }) => ({ name, address: convertAddress(name, resource) }));
    for (const name of update.removed) this.#removeAddress(name);
    for (const { name, address } of converted) {
      this.#removeAddress(name);
      this.#insertAddress(address);
    }
    this.#changed();
  }

  /** Applies one RouteTable response whole (after the L7 check), or throws UpdateRejectedError and applies nothing. */
  applyRouteTables(update: StateUpdate<l7V1.RouteTable>): void {
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateRouteTable(name, resource) }));
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
    const valid = validateAll(update.upserted, ({ name, resource }) => ({ name, resource: validateCluster(name, resource) }));
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

  #insertAddress(address: ConvertedAddress): void {
    if (address.kind === 'service') {
      const service = address.service;
      this.#services.set(service.key, service);
      for (const vip of service.vips) this.#servicesByVip.set(networkAddressKey(vip.network, vip.address), service);
      return;
    }
    const workload = address.workload;
    this.#workloads.set(workload.uid, workload);
    for (const ip of workload.workloadIps) this.#workloadsByAddress.set(networkAddressKey(workload.network, ip), workload);
    for (const key of workload.services.keys()) {
      let uids = this.#endpoints.get(key);
      if (uids === undefined) this.#endpoints.set(key, (uids = new Set()));
      uids.add(workload.uid);
    }
  }

  #removeAddress(name: string): void {
    const service = this.#services.get(name);
    if (service !== undefined) {
      this.#services.delete(name);
      for (const vip of service.vips) deleteIfOwned(this.#servicesByVip, networkAddressKey(vip.network, vip.address), (s) => s.key === name);
    }
    const workload = this.#workloads.get(name);
    if (workload === undefined) return;
    this.#workloads.delete(name);
    for (const ip of workload.workloadIps) deleteIfOwned(this.#workloadsByAddress, networkAddressKey(workload.network, ip), (w) => w.uid === name);
    for (const key of workload.services.keys()) {
      const uids = this.#endpoints.get(key);
      uids?.delete(name);
      if (uids?.size === 0) this.#endpoints.delete(key);
    }
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Converts every item, collecting every invalid resource rather than stopping at the first. */
function validateAll<I, O>(items: readonly I[], convert: (item: I) => O): O[] {
  const out: O[] = [];
  const problems: InvalidResourceError[] = [];
  for (const item of items) {
    try {
      out.push(convert(item));
    } catch (error) {
      if (!(error instanceof InvalidResourceError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new UpdateRejectedError(problems);
  return out;
}

/** A copy of `current` with `removed` deleted and `upserted` set. */
function applied<T>(current: ReadonlyMap<string, T>, upserted: readonly { readonly name: string; readonly resource: T }[], removed: readonly string[]): Map<string, T> {
  const next = new Map(current);
  for (const name of removed) next.delete(name);
  for (const { name, resource } of upserted) next.set(name, resource);
  return next;
}

/** Two owners of one address: the later one wins, and removing the loser leaves the winner's entry alone. */
function deleteIfOwned<T>(index: Map<string, T>, key: string, owns: (value: T) => boolean): void {
  const value = index.get(key);
  if (value !== undefined && owns(value)) index.delete(key);
}
