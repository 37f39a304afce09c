import type { GatewayResource, PodResource, Resource, VirtualServiceResource } from '@ambit/config-model';
import { MESH_GATEWAY, podAddresses, resolveHost, selects } from '@ambit/mesh-model';
import { isLocalWorkload } from './local-checks.js';
import { GATEWAY_PORTS } from './options.js';
import { GATEWAY_NAME_LABEL } from './waypoints.js';

/** Istio's gateway charts serve ports below 1024 this much higher when the gateway is not root (80 → 8080). */
export const UNPRIVILEGED_PORT_OFFSET = 8000;

/** One Gateway server port as the ingress gateway serves it. */
export interface PlannedGatewayPort {
  /** The server's `port.number`, as the Gateway writes it. */
  readonly port: number;
  /** `ip:port` it is served at: the server's `bind` or the pod's address, the port moved up by the offset below 1024. */
  readonly servedAt: string;
  /** The first server's protocol on this port (`HTTP`, `HTTPS`, `HTTP2`, `GRPC`). */
  readonly protocol: string;
}

/** A way in that a VirtualService bound to the pod's Gateways opens: a path to request and where it goes. */
export interface PlannedGatewayRoute {
  /** `namespace/name` of the VirtualService. */
  readonly virtualService: string;
  /** A path its route matches: an exact or prefix `uri` as written, `/` for a route without a uri match. */
  readonly path: string;
  /** A Host header its hosts accept; absent when they accept any (`*`). */
  readonly host?: string;
  /** The first destination's hostname, resolved as Istio resolves short names (in the VirtualService's namespace). */
  readonly destination: string;
}

/** An ingress gateway `local up` starts: one process playing one gateway pod. */
export interface PlannedGateway {
  readonly namespace: string;
  /** The pod it plays. */
  readonly name: string;
  /** `namespace/name` of the Istio Gateways whose selector picks the pod, in name order. */
  readonly gateways: readonly string[];
  readonly node: string;
  /** The pod's address: the Gateway ports (unless a server binds elsewhere), admin, metrics and readiness. */
  readonly address: string;
  /** Added to server ports below 1024; passed to the gateway as `--low-port-offset`. */
  readonly lowPortOffset: number;
  readonly ports: readonly PlannedGatewayPort[];
  /** The routes in, for the summary's commands: the first of each HTTP route of the bound VirtualServices. */
  readonly routes: readonly PlannedGatewayRoute[];
  readonly admin: string;
  readonly metrics: string;
  readonly readiness: string;
}

/** The offset of Istio's gateway pods: none as root (ports below 1024 can be bound), else 8000. */
export function lowPortOffset(): number {
  return process.getuid?.() === 0 ? 0 : UNPRIVILEGED_PORT_OFFSET;
}

/**
 * The gateway pods of the config: live pods that the selector of an Istio
 * (networking.istio.io) Gateway picks, in any namespace as Istio's default allows. A
 * Gateway without a selector applies to every gateway pod but makes no pod one (it
 * would select every pod). Waypoint pods are not gateways here. Each pod serves the
 * union of its Gateways' servers by port, as apps/ingress-gateway does (docs/ingress-gateway.md).
 * Expects resources that passed validation and localModeIssues.
 */
export function planGateways(resources: readonly Resource[], offset: number, clusterDomain: string): PlannedGateway[] {
  const virtualServices = resources.filter((r): r is VirtualServiceResource => r.kind === 'VirtualService').sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const istioGateways = resources
    .filter((r): r is GatewayResource => r.kind === 'Gateway' && r.group === 'networking.istio.io')
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const gateways: PlannedGateway[] = [];
  for (const pod of resources) {
    if (pod.kind !== 'Pod' || !isLocalWorkload(pod) || pod.metadata.labels[GATEWAY_NAME_LABEL] !== undefined) continue;
    const address = podAddresses(pod)[0];
    if (address === undefined || !istioGateways.some((g) => selectsPod(g, pod, false))) continue;
    const selecting = istioGateways.filter((g) => selectsPod(g, pod, true));
    const at = (port: number): string => `${address}:${port}`;
    gateways.push({
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      gateways: selecting.map(keyOf),
      node: pod.spec.nodeName ?? '',
      address,
      lowPortOffset: offset,
      ports: servedPorts(selecting, address, offset),
      routes: routesIn(virtualServices, new Set(selecting.map(keyOf)), clusterDomain),
      admin: at(GATEWAY_PORTS.admin),
      metrics: at(GATEWAY_PORTS.metrics),
      readiness: at(GATEWAY_PORTS.readiness),
    });
  }
  return gateways.sort((a, b) => compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
}

function selectsPod(gateway: GatewayResource, pod: PodResource, emptySelects: boolean): boolean {
  const selector = gateway.spec.selector ?? {};
  return Object.keys(selector).length === 0 ? emptySelects : selects(selector, pod.metadata.labels);
}

/**
 * The ports served, by port number in the Gateways' name order: plain HTTP servers
 * (HTTP, HTTP2, GRPC) and HTTPS terminated at the gateway (SIMPLE, MUTUAL). The gateway
 * skips the other servers (TCP, TLS, passthrough), so they are not listed; the first
 * server on a port decides its protocol, as it does in the gateway.
 */
function servedPorts(gateways: readonly GatewayResource[], address: string, offset: number): PlannedGatewayPort[] {
  const ports = new Map<number, PlannedGatewayPort>();
  for (const gateway of gateways) {
    for (const server of gateway.spec.servers) {
      const protocol = server.port.protocol.toUpperCase();
      const mode = server.tls?.mode ?? 'PASSTHROUGH';
      const served = ['HTTP', 'HTTP2', 'GRPC'].includes(protocol) || (protocol === 'HTTPS' && (mode === 'SIMPLE' || mode === 'MUTUAL'));
      if (!served || ports.has(server.port.number)) continue;
      const port = server.port.number < 1024 ? server.port.number + offset : server.port.number;
      const host = server.bind === undefined || server.bind === '' ? address : server.bind;
      ports.set(server.port.number, { port: server.port.number, servedAt: `${host}:${port}`, protocol });
    }
  }
  return [...ports.values()];
}

/**
 * One route in per HTTP route of each VirtualService bound to one of `gateways`
 * (`gateways:` names `namespace/name`, or `name` in the VirtualService's namespace): the
 * route's first exact or prefix uri match (a route matching only by regex or by other
 * fields is left out) and its first destination.
 */
function routesIn(virtualServices: readonly VirtualServiceResource[], gateways: ReadonlySet<string>, clusterDomain: string): PlannedGatewayRoute[] {
  const routes: PlannedGatewayRoute[] = [];
  for (const vs of virtualServices) {
    const { namespace } = vs.metadata;
    const bound = (vs.spec.gateways ?? []).some((g) => g !== MESH_GATEWAY && gateways.has(g.includes('/') ? g : `${namespace}/${g}`));
    if (!bound) continue;
    const named = (vs.spec.hosts ?? []).find((h) => h !== '*');
    const host = (vs.spec.hosts ?? []).includes('*') || named === undefined ? undefined : named.replace(/^\*/, 'www');
    for (const http of vs.spec.http ?? []) {
      const destination = http.route?.[0]?.destination.host;
      if (destination === undefined) continue;
      const matches = http.match ?? [];
      const uri = matches.map((m) => m.uri).find((u) => u?.exact !== undefined || u?.prefix !== undefined);
      if (matches.length > 0 && uri === undefined) continue;
      routes.push({ virtualService: keyOf(vs), path: uri?.exact ?? (uri?.prefix || '/'), ...(host === undefined ? {} : { host }), destination: resolveHost(destination, namespace, clusterDomain) });
    }
  }
  return routes;
}

function keyOf(resource: Resource): string {
  return `${resource.metadata.namespace}/${resource.metadata.name}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
