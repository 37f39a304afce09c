import { selects, type Labels } from '@ambit/mesh-model';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL, CLUSTER_TYPE_URL, l7V1, LISTENER_TYPE_URL, ROUTE_TABLE_TYPE_URL, type AppliedChanges, type ResourceFilter } from '@ambit/xds';
import { ALL_WAYPOINTS_AUTHORIZATION_PREFIX, gatewayRoutePrefix, isWaypointAuthorization, waypointAuthorizationPrefix, waypointRoutePrefix } from '../translator/index.js';
import type { XdsCaches } from './xds-caches.js';

/** Which proxy a stream serves, by its identity and role. */
export type ProxyScope =
  | { readonly kind: 'ztunnel' }
  | { readonly kind: 'waypoint'; readonly waypoint: string }
  | { readonly kind: 'gateway'; readonly namespace: string; readonly serviceAccount: string };

/** The labels of the workloads that run as a gateway's identity, from the current model. */
export type GatewayLabels = (namespace: string, serviceAccount: string) => readonly Labels[];

/**
 * Who sees which L7 resource. A ztunnel sees Addresses and its Authorizations only (not
 * the waypoints'). A waypoint sees Addresses, its own route tables and Authorizations
 * (named after it), those of every waypoint, and the Clusters its route tables name. A gateway sees Addresses, the Listeners whose selector matches a workload
 * running as its identity, their route tables and the Clusters those name. What a
 * route table names is indexed here from the served resources; after each batch,
 * `changed` says whose view may differ, so that only those proxies are re-examined.
 */
export class L7Visibility {
  readonly #caches: XdsCaches;
  readonly #gatewayLabels: GatewayLabels;
  /** Route table → the clusters it names. */
  readonly #names = new Map<string, readonly string[]>();
  /** Route-table prefix (one waypoint's or one Gateway's) → cluster → how many of its tables name it. */
  readonly #clusters = new Map<string, Map<string, number>>();
  /** Gateway scope key → the Listener prefixes it sees. */
  readonly #gateways = new Map<string, ReadonlySet<string>>();

  constructor(caches: XdsCaches, gatewayLabels: GatewayLabels) {
    this.#caches = caches;
    this.#gatewayLabels = gatewayLabels;
  }

  /** The filter of a stream with this scope; it reads the current index on every call. */
  filter(scope: ProxyScope): ResourceFilter {
    switch (scope.kind) {
      case 'ztunnel':
        return (typeUrl, name) => typeUrl === ADDRESS_TYPE_URL || (typeUrl === AUTHORIZATION_TYPE_URL && !isWaypointAuthorization(name));
      case 'waypoint': {
        const prefix = waypointRoutePrefix(scope.waypoint);
        const authorizations = waypointAuthorizationPrefix(scope.waypoint);
        return (typeUrl, name) =>
          typeUrl === AUTHORIZATION_TYPE_URL ? name.startsWith(authorizations) || name.startsWith(ALL_WAYPOINTS_AUTHORIZATION_PREFIX) : this.#visible(typeUrl, name, [prefix], new Set());
      }
      case 'gateway': {
        const key = gatewayScopeKey(scope);
        if (!this.#gateways.has(key)) this.#gateways.set(key, this.#listenersOf(scope));
        return (typeUrl, name) => {
          const listeners = this.#gateways.get(key) ?? new Set<string>();
          return this.#visible(typeUrl, name, [...listeners].map(gatewayRoutePrefix), listeners);
        };
      }
    }
  }

  /**
   * Indexes what a batch changed and returns the scopes whose view may have changed:
   * route-table prefixes whose tables changed, and gateway scopes whose Listeners did.
   */
  changed(applied: ReadonlyMap<string, AppliedChanges>, active: Iterable<ProxyScope>): (scope: ProxyScope) => boolean {
    const connected = new Set([...active].flatMap((s) => (s.kind === 'gateway' ? [gatewayScopeKey(s)] : [])));
    const prefixes = new Set<string>();
    const tables = applied.get(ROUTE_TABLE_TYPE_URL);
    for (const name of [...(tables?.upserted ?? []), ...(tables?.removed ?? [])]) {
      prefixes.add(prefixOf(name));
      this.#index(name);
    }
    const listenersChanged = applied.has(LISTENER_TYPE_URL);
    const gateways = new Set<string>();
    for (const key of connected) {
      const slash = key.indexOf('/');
      const before = this.#gateways.get(key);
      const after = this.#listenersOf({ kind: 'gateway', namespace: key.slice(0, slash), serviceAccount: key.slice(slash + 1) });
      this.#gateways.set(key, after);
      if (listenersChanged || before === undefined || !sameSet(before, after)) gateways.add(key);
    }
    // Scopes no longer connected are dropped; a new stream of one recomputes its view.
    for (const key of [...this.#gateways.keys()]) if (!connected.has(key)) this.#gateways.delete(key);
    return (scope) => {
      if (scope.kind === 'waypoint') return prefixes.has(waypointRoutePrefix(scope.waypoint));
      if (scope.kind !== 'gateway') return false;
      const key = gatewayScopeKey(scope);
      return gateways.has(key) || [...(this.#gateways.get(key) ?? [])].some((listener) => prefixes.has(gatewayRoutePrefix(listener)));
    };
  }

  #visible(typeUrl: string, name: string, prefixes: readonly string[], listeners: ReadonlySet<string>): boolean {
    switch (typeUrl) {
      case ADDRESS_TYPE_URL:
        return true;
      case ROUTE_TABLE_TYPE_URL:
        return prefixes.includes(prefixOf(name));
      case CLUSTER_TYPE_URL:
        return prefixes.some((p) => this.#clusters.get(p)?.has(name) === true);
      case LISTENER_TYPE_URL:
        return listeners.has(name);
      default:
        return false;
    }
  }

  #listenersOf(scope: Extract<ProxyScope, { kind: 'gateway' }>): ReadonlySet<string> {
    const labels = this.#gatewayLabels(scope.namespace, scope.serviceAccount);
    const visible = new Set<string>();
    if (labels.length === 0) return visible;
    for (const name of this.#caches.listeners.names()) {
      const selector = this.#caches.listeners.get(name)?.resource.selector ?? {};
      if (labels.some((l) => selects(selector as Labels, l))) visible.add(name);
    }
    return visible;
  }

  /** Brings one route table's entry in line with the cache (present or gone). */
  #index(name: string): void {
    const prefix = prefixOf(name);
    let counts = this.#clusters.get(prefix);
    for (const cluster of this.#names.get(name) ?? []) {
      const n = (counts?.get(cluster) ?? 1) - 1;
      if (n === 0) counts?.delete(cluster);
      else counts?.set(cluster, n);
    }
    this.#names.delete(name);
    const table = this.#caches.routeTables.get(name)?.resource as l7V1.RouteTable | undefined;
    if (table !== undefined) {
      const named = [...new Set(clustersOf(table))];
      this.#names.set(name, named);
      if (counts === undefined) this.#clusters.set(prefix, (counts = new Map()));
      for (const cluster of named) counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
    }
    if (counts?.size === 0) this.#clusters.delete(prefix);
  }
}

/** The clusters a route table's routes and mirrors name. */
function clustersOf(table: l7V1.RouteTable): string[] {
  const names: string[] = [];
  for (const host of table.virtualHosts) {
    for (const route of host.routes) {
      if (route.action !== 'forward') continue;
      for (const c of route.forward.clusters) if (c.cluster !== '') names.push(c.cluster);
      for (const m of route.forward.mirrors) if (m.cluster !== '') names.push(m.cluster);
    }
  }
  return names;
}

/** `waypoint/<ns>/<name>/` or `gateway/<ns>/<name>/`: the first three segments. */
function prefixOf(routeTable: string): string {
  return routeTable.split('/', 3).join('/') + '/';
}

function gatewayScopeKey(scope: Extract<ProxyScope, { kind: 'gateway' }>): string {
  return `${scope.namespace}/${scope.serviceAccount}`;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
