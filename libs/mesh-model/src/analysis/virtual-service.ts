import type { VirtualServiceResource } from '@ambit/config-model';
import { compare } from '../compare.js';
import { note } from './codes.js';
import { MESH_GATEWAY, type DeclaredHost } from './config-index.js';
import { hasWaypoint, listed, storedService, type AnalysisContext, type Facts } from './context.js';
import { isIpHost, resolveHost, scopesOverlap, visibleFrom } from './hosts.js';

interface Destination {
  readonly host: string;
  readonly subset?: string | undefined;
  readonly port?: { readonly number?: number | undefined } | undefined;
}

/**
 * A VirtualService: the Gateways it names exist; bound to the mesh, its hosts are
 * services its namespace sees, served by a waypoint (ztunnel never routes at L7), and no
 * other mesh VirtualService claims them; every destination's host, port and subset exist
 * (Istio's destination-host, destination-rule and gateway analysers, and IST0109).
 */
export function virtualServiceFacts(ctx: AnalysisContext, vs: VirtualServiceResource): Facts {
  const facts: Facts = { appliedTo: [], notes: [] };
  const namespace = vs.metadata.namespace;
  const gateways = vs.spec.gateways ?? [];
  gateways.forEach((gateway, i) => {
    if (gateway === MESH_GATEWAY) return;
    const slash = gateway.indexOf('/');
    const [gwNamespace, gwName] = slash === -1 ? [namespace, gateway] : [gateway.slice(0, slash), gateway.slice(slash + 1)];
    if (ctx.config.istioGateway(gwNamespace, gwName) === undefined) {
      facts.notes.push(
        note('GatewayNotFound', `Gateway ${gwNamespace}/${gwName} does not exist`, {
          path: `spec.gateways[${i}]`,
          hint: slash === -1 ? `a name without namespace is looked up in ${namespace}; write <namespace>/${gwName} for another namespace` : 'check the name and namespace',
        }),
      );
    } else {
      facts.appliedTo.push({ kind: 'gateway', key: `${gwNamespace}/${gwName}` });
    }
  });
  if (gateways.length === 0 || gateways.includes(MESH_GATEWAY)) meshHosts(ctx, vs, facts);
  destinations(vs).forEach(({ destination, path }) => checkDestination(ctx, namespace, destination, path, facts));
  return facts;
}

function meshHosts(ctx: AnalysisContext, vs: VirtualServiceResource, facts: Facts): void {
  const { namespace, name } = vs.metadata;
  const domain = ctx.store.settings.clusterDomain;
  const withoutWaypoint = new Set<string>();
  (vs.spec.hosts ?? []).forEach((host, i) => {
    if (isIpHost(host)) return;
    const resolved = resolveHost(host, namespace, domain);
    const matches = ctx.config.hostsOverlapping(resolved).filter((h) => visibleFrom(h.exportTo, h.namespace, namespace));
    if (matches.length === 0) {
      facts.notes.push(
        note('VirtualServiceHostNotFound', `host ${resolved} matches no Service or ServiceEntry visible in namespace ${namespace}, so no mesh traffic uses these routes`, {
          path: `spec.hosts[${i}]`,
          hint: hostHint(host, resolved),
        }),
      );
    }
    for (const match of matches) {
      const service = storedService(ctx, match);
      if (service === undefined) continue;
      facts.appliedTo.push({ kind: 'service', key: service.key });
      if (!hasWaypoint(ctx, service)) withoutWaypoint.add(service.hostname);
    }
    const rivals = ctx.config
      .meshVirtualServicesFor(resolved)
      .filter((other) => other.resource !== vs && scopesOverlap(exportScope(other.resource), exportScope(vs)))
      .map((other) => `${other.resource.metadata.namespace}/${other.resource.metadata.name}`);
    if (rivals.length > 0) {
      facts.notes.push(
        note('VirtualServiceHostConflict', `host ${resolved} is also routed for the mesh by VirtualService ${listed(rivals)}; only one VirtualService per host applies`, {
          path: `spec.hosts[${i}]`,
          hint: `merge the routes into one VirtualService (${namespace}/${name} or the other)`,
        }),
      );
    }
  });
  if (withoutWaypoint.size > 0) {
    const services = listed([...withoutWaypoint].sort(compare));
    facts.notes.push(
      note('RoutingWithoutWaypoint', `${services} ${withoutWaypoint.size === 1 ? 'uses' : 'use'} no waypoint: in ambient mode ztunnel does not apply VirtualServices, so these routes do nothing for mesh traffic`, {
        path: 'spec.hosts',
        hint: 'label the service or its namespace istio.io/use-waypoint=<waypoint>, or bind the VirtualService to gateways only',
      }),
    );
  }
}

const exportScope = (vs: VirtualServiceResource): { exportTo: readonly string[]; namespace: string } => ({ exportTo: vs.spec.exportTo ?? [], namespace: vs.metadata.namespace });

function hostHint(written: string, resolved: string): string {
  if (!written.includes('.')) return `a short name is looked up in the VirtualService's namespace (${resolved}); use the service's full name for another namespace`;
  return 'check the name; a host outside the mesh needs a ServiceEntry';
}

/** Every destination of every route and mirror, with its field path. */
function destinations(vs: VirtualServiceResource): { destination: Destination; path: string }[] {
  const found: { destination: Destination; path: string }[] = [];
  (vs.spec.http ?? []).forEach((route, i) => {
    (route.route ?? []).forEach((r, j) => found.push({ destination: r.destination, path: `spec.http[${i}].route[${j}].destination` }));
    if (route.mirror !== undefined) found.push({ destination: route.mirror, path: `spec.http[${i}].mirror` });
    (route.mirrors ?? []).forEach((m, j) => found.push({ destination: m.destination, path: `spec.http[${i}].mirrors[${j}].destination` }));
  });
  for (const [field, routes] of [
    ['tcp', vs.spec.tcp ?? []],
    ['tls', vs.spec.tls ?? []],
  ] as const) {
    routes.forEach((route, i) => (route.route ?? []).forEach((r, j) => found.push({ destination: r.destination, path: `spec.${field}[${i}].route[${j}].destination` })));
  }
  return found;
}

function checkDestination(ctx: AnalysisContext, namespace: string, destination: Destination, path: string, facts: Facts): void {
  const host = resolveHost(destination.host, namespace, ctx.store.settings.clusterDomain);
  if (isIpHost(host)) return;
  const served = ctx.config.hostsServing(host).filter((h) => visibleFrom(h.exportTo, h.namespace, namespace));
  if (served.length === 0) {
    facts.notes.push(note('DestinationHostNotFound', `destination host ${host} matches no Service or ServiceEntry visible in namespace ${namespace}`, { path: `${path}.host`, hint: hostHint(destination.host, host) }));
    return;
  }
  const port = destination.port?.number;
  if (port !== undefined && !served.some((h) => h.ports.length === 0 || h.ports.some((p) => p.number === port))) {
    facts.notes.push(note('DestinationPortNotFound', `port ${port} is not a port of ${host}`, { path: `${path}.port.number`, hint: `its ports: ${portList(served)}` }));
  }
  const subset = destination.subset ?? '';
  if (subset === '') return;
  const rules = ctx.config.destinationRulesFor(host);
  if (!rules.some((rule) => (rule.resource.spec.subsets ?? []).some((s) => s.name === subset))) {
    const known = [...new Set(rules.flatMap((rule) => (rule.resource.spec.subsets ?? []).map((s) => s.name)))];
    facts.notes.push(
      note('SubsetNotFound', `subset "${subset}" of ${host} is defined by no DestinationRule`, {
        path: `${path}.subset`,
        hint: rules.length === 0 ? `add a DestinationRule for ${host} that defines it` : `defined subsets: ${listed(known.sort(compare), 10) || 'none'}`,
      }),
    );
  }
}

function portList(hosts: readonly DeclaredHost[]): string {
  return [...new Set(hosts.flatMap((h) => h.ports.map((p) => p.number)))].sort((a, b) => a - b).join(', ');
}
