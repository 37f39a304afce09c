import type { PlannedGateway } from './gateways.js';
import type { LocalPlan, PlannedService, PlannedWorkload } from './plan.js';
import type { PlannedSample } from './samples.js';
import type { PlannedWaypoint } from './waypoints.js';

/** A command to copy, with a comment saying what it shows. */
export interface TryCommand {
  readonly comment: string;
  readonly command: string;
}

/** How many routes through the gateway the summary shows, one per destination. */
const GATEWAY_ROUTES_SHOWN = 3;

/**
 * Commands that send a request into the mesh and show where to look, for the end of
 * the summary: first, plain HTTP requests from outside the mesh to an ingress gateway
 * (gatewayCommands); then a request from one workload to a service its sample workloads serve
 * (their answers name pod and version), then status, metrics and config dump of the
 * caller's node, and the HTTP metrics of the service's waypoint when it has one.
 * A service is called by name when it has no waypoint or when its waypoint runs here
 * (the waypoint then routes the request: canary weights, faults, …). ztunnel refuses a
 * service whose waypoint is not there, so for such a service the request goes to one of
 * its pods by address, preferring one on another node than the caller (HBONE between
 * two ztunnels). Without samples: a request to the first service, whose application the
 * user starts.
 */
export function tryCommands(plan: LocalPlan, statusCommand: string): TryCommand[] {
  const target = targetService(plan);
  const caller = target === undefined ? undefined : callerOf(plan, target);
  const out: TryCommand[] = gatewayCommands(plan);
  if (target !== undefined && caller !== undefined) {
    const endpoints = plan.samples.filter((s) => s.services.includes(`${target.namespace}/${target.name}`));
    const port = target.ports[0]!;
    const waypoint = waypointOf(plan, target);
    if (target.waypoint === undefined || waypoint !== undefined) {
      const versions = [...new Set(endpoints.map((e) => e.version))];
      const who = `as ${caller.namespace}/${caller.name} to ${target.namespace}/${target.name}${waypoint === undefined ? '' : ` through waypoint ${target.waypoint}`}`;
      const turns = waypoint === undefined ? `(run it again: ${versions.join(', ')} take turns)` : `(run it again: its routes choose among ${versions.join(', ')})`;
      out.push({
        comment:
          endpoints.length === 0
            ? `${who} (its application must listen on its pod address)`
            : `${who}; the answer names the pod and version${versions.length > 1 ? ` ${turns}` : ''}`,
        command: `curl --socks5-hostname ${caller.socks5} http://${target.name}.${target.namespace}:${port}/`,
      });
      if (waypoint !== undefined) {
        out.push({ comment: `HTTP telemetry of waypoint ${target.waypoint} (reporter="waypoint")`, command: `curl -s http://${waypoint.metrics}/metrics | grep istio_requests_total` });
      }
    } else {
      const endpoint = endpoints.find((e) => e.node !== caller.node) ?? endpoints[0];
      if (endpoint !== undefined) {
        out.push({
          comment: `as ${caller.namespace}/${caller.name} to ${endpoint.namespace}/${endpoint.name} on ${endpoint.node}; the answer names the pod and version. By service name (${target.name}.${target.namespace}) it is refused while waypoint ${target.waypoint} does not run`,
          command: `curl --socks5-hostname ${caller.socks5} http://${listenOn(endpoint, port)}/`,
        });
      }
    }
  }
  out.push({ comment: 'every component, its addresses and readiness (-o json for scripts)', command: statusCommand });
  const node = plan.nodes.find((n) => n.name === caller?.node) ?? plan.nodes[0];
  if (node !== undefined) {
    out.push({ comment: `TCP telemetry of ${node.name}'s ztunnel (Istio's metric names and labels)`, command: `curl -s http://${node.metrics}/metrics | grep istio_tcp` });
    out.push({ comment: `what ${node.name}'s ztunnel holds: workloads, services, policies, certificates`, command: `curl -s http://${node.admin}/config_dump` });
  }
  return out;
}

/**
 * Requests as a client outside the mesh sends them (plain curl, no SOCKS5) to the first
 * gateway with a plain HTTP port and a route in: one per destination service (up to
 * three), in the order the bound VirtualServices list them, each on a path its route
 * matches; then the gateway's HTTP metrics. Routes to a service whose waypoint does not
 * run here are left out (the gateway would answer 503: it sends such a service's
 * traffic to its waypoint).
 */
function gatewayCommands(plan: LocalPlan): TryCommand[] {
  for (const gateway of plan.gateways) {
    const port = gateway.ports.find((p) => p.protocol === 'HTTP' || p.protocol === 'HTTP2');
    if (port === undefined) continue;
    const out: TryCommand[] = [];
    const shown = new Set<string>();
    for (const route of gateway.routes) {
      const service = plan.services.find((s) => s.hostname === route.destination);
      const waypoint = service === undefined ? undefined : waypointOf(plan, service);
      if (shown.has(route.destination) || shown.size === GATEWAY_ROUTES_SHOWN || (service?.waypoint !== undefined && waypoint === undefined)) continue;
      shown.add(route.destination);
      out.push({ comment: routeComment(plan, gateway, port.port, route.virtualService, service, route.destination), command: `curl ${route.host === undefined ? '' : `-H 'Host: ${route.host}' `}http://${port.servedAt}${route.path}` });
    }
    if (out.length === 0) continue;
    out.push({ comment: `HTTP telemetry of gateway ${gateway.namespace}/${gateway.name} (reporter="source")`, command: `curl -s http://${gateway.metrics}/metrics | grep istio_requests_total` });
    return out;
  }
  return [];
}

function routeComment(plan: LocalPlan, gateway: PlannedGateway, port: number, virtualService: string, service: PlannedService | undefined, destination: string): string {
  const served = gateway.ports.find((p) => p.port === port)!.servedAt;
  const offset = served.endsWith(`:${port}`) ? '' : ` (served at :${served.slice(served.lastIndexOf(':') + 1)})`;
  const from = `from outside the mesh (plain HTTP) to gateway ${gateway.namespace}/${gateway.name} port ${port}${offset}; VirtualService ${virtualService} routes it to`;
  if (service === undefined) return `${from} ${destination}`;
  const versions = [...new Set(plan.samples.filter((s) => s.services.includes(`${service.namespace}/${service.name}`)).map((s) => s.version))];
  const through = service.waypoint === undefined ? '' : ` through waypoint ${service.waypoint}`;
  const choice = versions.length < 2 ? '' : service.waypoint === undefined ? ` (run it again: ${versions.join(', ')} take turns)` : ` (run it again: its routes choose among ${versions.join(', ')})`;
  return `${from} ${service.namespace}/${service.name}${through}${versions.length > 0 ? `; the answer names the pod and version${choice}` : ''}`;
}

/** The waypoint started for the service's waypoint; undefined without one, or when none runs here. */
function waypointOf(plan: LocalPlan, service: PlannedService): PlannedWaypoint | undefined {
  return service.waypoint === undefined ? undefined : plan.waypoints.find((w) => w.gateway === service.waypoint);
}

/**
 * The service to call: one with ports and sample workloads behind it, preferring one
 * that can be called by name (no waypoint, or its waypoint runs), then the one with the
 * most samples (a request shows load balancing or routing), then by name; without
 * samples, the first service with ports.
 */
function targetService(plan: LocalPlan): PlannedService | undefined {
  const callable = plan.services.filter((s) => s.ports.length > 0);
  const samplesOf = (s: PlannedService): number => plan.samples.filter((sample) => sample.services.includes(`${s.namespace}/${s.name}`)).length;
  const byName = (s: PlannedService): number => Number(s.waypoint === undefined || waypointOf(plan, s) !== undefined);
  const ranked = callable
    .map((service, order) => ({ service, order, samples: samplesOf(service) }))
    .sort((a, b) => Number(b.samples > 0) - Number(a.samples > 0) || byName(b.service) - byName(a.service) || b.samples - a.samples || a.order - b.order);
  return ranked[0]?.service;
}

/**
 * Who calls: a workload not behind the service (by its samples, or named after it) —
 * one the service's ALLOW policies admit when it has any (else the example would be
 * answered 403), of the service's namespace first, else any other.
 */
function callerOf(plan: LocalPlan, target: PlannedService): PlannedWorkload | undefined {
  const key = `${target.namespace}/${target.name}`;
  const behind = (w: PlannedWorkload): boolean =>
    plan.samples.some((s) => s.namespace === w.namespace && s.name === w.name && s.services.includes(key)) || (w.namespace === target.namespace && w.name.startsWith(target.name));
  const others = plan.workloads.filter((w) => !behind(w));
  const admitted = target.allowedCallers === undefined ? others : others.filter((w) => target.allowedCallers!.includes(w.account));
  const pool = admitted.length > 0 ? admitted : others;
  return pool.find((w) => w.namespace === target.namespace) ?? pool[0];
}

/** The address of the sample's listener for the service's first port (the first listener when the port maps elsewhere). */
function listenOn(sample: PlannedSample, servicePort: number): string {
  return sample.listen.find((address) => address.endsWith(`:${servicePort}`)) ?? sample.listen[0]!;
}
