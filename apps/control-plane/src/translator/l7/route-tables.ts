import type { VirtualServiceResource } from '@ambit/config-model';
import { compare, MESH_GATEWAY, resolveHost, type ServiceSource } from '@ambit/mesh-model';
import type { l7V1, MessageInit } from '@ambit/xds';
import { flattenDelegate } from './delegate.js';
import { idOf, type Reads } from './deps.js';
import { intersectHosts, type ServerHost } from './gateway-hosts.js';
import { gatewayKey } from './l7-index.js';
import type { L7Lookup } from './lookup.js';
import { clusterName, gatewayRouteTableName, waypointRouteTableName } from './names.js';
import { compileRoute, defaultRoute, type HttpRoute, type RouteContext } from './route.js';
import type { MatchContext } from './route-match.js';

export type Compiled<T> = [name: string, resource: MessageInit<T>];

/**
 * The route tables a waypoint serves a service with, one per service port: the routes
 * of the service's mesh VirtualService (matches bound to `mesh` and to the port), or
 * without one a default route to the service's own cluster. One virtual host matching
 * every authority: the HBONE :authority already chose the service.
 */
export function waypointRouteTables(lookup: L7Lookup, service: ServiceSource, waypoint: string, reads: Reads): Compiled<l7V1.RouteTable>[] {
  const vs = lookup.meshVirtualService(service.hostname, service.namespace, reads);
  return service.ports.map(({ port }) => {
    const context: MatchContext = { port, boundTo: (gateways) => gateways.includes(MESH_GATEWAY) };
    const routes = vs === undefined ? [defaultRoute(clusterName(service.hostname, port, ''))] : compileVirtualService(lookup, vs, context, port, reads);
    const table: MessageInit<l7V1.RouteTable> = {
      context: 'service',
      service: { namespace: service.namespace, hostname: service.hostname, port },
      virtualHosts: [{ domains: ['*'], routes }],
    };
    return [waypointRouteTableName(waypoint, service.hostname, port), table];
  });
}

/**
 * A Gateway's route table for one server port (Istio's gateway RDS): for each
 * VirtualService bound to the Gateway and visible from its namespace, the hosts it
 * shares with the port's servers (a server host's `namespace/` part says whose
 * VirtualServices it admits); routes of VirtualServices for the same host are
 * concatenated in namespace/name order, as Istio merges them on gateways.
 */
export function gatewayRouteTable(lookup: L7Lookup, gateway: string, port: number, hosts: readonly ServerHost[], reads: Reads): Compiled<l7V1.RouteTable> {
  const gatewayNamespace = gateway.slice(0, gateway.indexOf('/'));
  const context: MatchContext = { port, boundTo: (gateways, vsNamespace) => gateways.some((g) => gatewayKey(g, vsNamespace) === gateway) };
  const byDomain = new Map<string, VirtualServiceResource[]>();
  const domain = lookup.model.settings.clusterDomain;
  for (const vs of lookup.gatewayVirtualServices(gateway, reads)) {
    const vsHosts = (vs.spec.hosts ?? []).map((h) => resolveHost(h, vs.metadata.namespace, domain));
    for (const d of intersectHosts(vsHosts, hosts, vs.metadata.namespace, gatewayNamespace)) byDomain.set(d, [...(byDomain.get(d) ?? []), vs]);
  }
  // Domains served by the same VirtualServices share one virtual host.
  const groups = new Map<string, { domains: string[]; virtualServices: VirtualServiceResource[] }>();
  for (const [d, virtualServices] of [...byDomain].sort(([a], [b]) => compare(a, b))) {
    const key = virtualServices.map(idOf).join(',');
    const group = groups.get(key) ?? { domains: [], virtualServices };
    group.domains.push(d);
    groups.set(key, group);
  }
  const virtualHosts: MessageInit<l7V1.VirtualHost>[] = [];
  for (const { domains, virtualServices } of groups.values()) {
    const routes = virtualServices.flatMap((vs) => compileVirtualService(lookup, vs, context, undefined, reads));
    if (routes.length > 0) virtualHosts.push({ domains, routes });
  }
  return [gatewayRouteTableName(gateway, port), { context: 'gatewayPort', gatewayPort: port, virtualHosts }];
}

/** Every HTTP route of a VirtualService that applies here, delegates flattened in place. */
function compileVirtualService(lookup: L7Lookup, vs: VirtualServiceResource, context: MatchContext, defaultPort: number | undefined, reads: Reads): MessageInit<l7V1.Route>[] {
  const compiled: MessageInit<l7V1.Route>[] = [];
  const routeContext: RouteContext = { ...context, cluster: (destination, namespace) => lookup.cluster(destination, namespace, defaultPort, reads) };
  const compileAll = (owner: VirtualServiceResource, routes: readonly { route: HttpRoute; index: number }[]): void => {
    for (const { route, index } of routes) {
      const r = compileRoute(route, owner, index, routeContext);
      if (r !== undefined) compiled.push(r);
    }
  };
  for (const [index, route] of (vs.spec.http ?? []).entries()) {
    const delegate = route.delegate;
    if (delegate === undefined) {
      compileAll(vs, [{ route, index }]);
      continue;
    }
    // A delegate that does not exist (yet) contributes nothing; the analysis reports it.
    const child = lookup.virtualService(delegate.namespace ?? vs.metadata.namespace, delegate.name ?? '', reads);
    if (child !== undefined) compileAll(child, flattenDelegate(route, child));
  }
  return compiled;
}

export type { ServerHost };
