import type { GatewayAddress, Service, StateView, Workload } from '../state/index.js';
import { NoHealthyEndpointError, NoWorkloadAddressError, UnknownServicePortError, WaypointUnavailableError } from './errors.js';
import { preferredCandidates, RoundRobinPicker, type Candidate, type EndpointPicker } from './load-balancer.js';
import type { OutboundPlan, OutboundTarget, SocketTarget } from './plan.js';

/** The port every ztunnel and waypoint accepts HBONE on. */
export const HBONE_PORT = 15008;

export interface PlannerOptions {
  readonly picker?: EndpointPicker;
}

/**
 * Decides how an outbound connection is carried (ztunnel's `build_request`):
 *
 * 1. Addressed to a service (VIP, or hostname): through the service's waypoint if it
 *    has one; else to one of its healthy endpoints, load-balanced, the service port
 *    mapped to the endpoint's target port.
 * 2. Addressed to a workload (pod IP, or hostname): through the workload's waypoint if
 *    it has one, else to the workload itself on the port asked for.
 * 3. Anything else is outside the mesh: passed through as plain TCP to the address.
 *
 * A workload reached over HBONE is dialled on its IP at port 15008 with the inner
 * target `ip:port`; a workload with tunnel protocol NONE is dialled directly.
 * Throws an OutboundError when the destination is known but cannot be reached.
 */
export class OutboundPlanner {
  readonly #state: StateView;
  readonly #picker: EndpointPicker;

  constructor(state: StateView, options: PlannerOptions = {}) {
    this.#state = state;
    this.#picker = options.picker ?? new RoundRobinPicker();
  }

  plan(source: Workload, target: OutboundTarget): OutboundPlan {
    switch (target.kind) {
      case 'service':
        return this.#toService(source, target.service, target.port, `${target.service.hostname}:${target.port}`, undefined);
      case 'workload':
        return this.#toWorkload(source, target.workload, undefined, target.port, `${target.workload.hostname}:${target.port}`);
      case 'address': {
        const authority = ipAuthority(target.ip, target.port);
        const workload = this.#state.workloads.byAddress(source.network, target.ip);
        if (workload !== undefined) return this.#toWorkload(source, workload, target.ip, target.port, authority);
        const service = this.#state.services.byVip(source.network, target.ip);
        if (service !== undefined) return this.#toService(source, service, target.port, authority, target.ip);
        return {
          route: 'passthrough',
          protocol: 'TCP',
          source,
          nextHop: { ip: target.ip, port: target.port },
          hboneTarget: undefined,
          destinationWorkload: undefined,
          destinationService: undefined,
          upstreamIdentities: [],
        };
      }
    }
  }

  #toService(source: Workload, service: Service, port: number, authority: string, addressedIp: string | undefined): OutboundPlan {
    if (service.waypoint !== undefined) {
      const waypoint = this.#waypoint(source, service.waypoint);
      // The waypoint finds the service by VIP, as Istio's does: a service named by hostname is sent as its VIP when it has one.
      const vip = addressedIp === undefined ? service.vips.find((candidate) => candidate.network === source.network)?.address : undefined;
      return { ...waypoint, route: 'service-waypoint', source, hboneTarget: vip === undefined ? authority : ipAuthority(vip, port), destinationService: service };
    }
    const servicePort = service.ports.get(port);
    if (servicePort === undefined) throw new UnknownServicePortError(service.hostname, port, [...service.ports.keys()]);
    const candidates: Candidate[] = [];
    for (const endpoint of this.#state.services.endpoints(service.key).values()) {
      if (endpoint.status !== 'Healthy') continue;
      const workload = this.#state.workloads.byUid(endpoint.workloadUid);
      if (workload === undefined || (workload.workloadIps.length === 0 && workload.hostname === '')) continue;
      // A named target port is known only to each endpoint; one without it cannot serve the port.
      if (servicePort === 0 && !endpoint.ports.has(port)) continue;
      candidates.push({ endpoint, workload });
    }
    const preferred = preferredCandidates(service, source, candidates);
    if (preferred.length === 0) throw new NoHealthyEndpointError(service.hostname, port);
    const { endpoint, workload } = this.#picker.pick(service, preferred);
    const targetPort = endpoint.ports.get(port) || servicePort;
    return { ...this.#direct(workload, addressedIp, targetPort), source, destinationService: service, upstreamIdentities: [workload.identity, ...service.subjectAltNames] };
  }

  #toWorkload(source: Workload, workload: Workload, addressedIp: string | undefined, port: number, authority: string): OutboundPlan {
    // A waypoint does not send its own traffic through itself.
    if (workload.waypoint !== undefined && !this.#isWaypointOf(source, workload.waypoint)) {
      const waypoint = this.#waypoint(source, workload.waypoint);
      const ip = addressedIp ?? workload.workloadIps[0];
      return { ...waypoint, route: 'workload-waypoint', source, hboneTarget: ip === undefined ? authority : ipAuthority(ip, port), destinationService: undefined };
    }
    return { ...this.#direct(workload, addressedIp, port), source, destinationService: undefined, upstreamIdentities: [workload.identity] };
  }

  /** The plan's fields for sending straight to `workload` on `port`. */
  #direct(workload: Workload, addressedIp: string | undefined, port: number): Pick<OutboundPlan, 'route' | 'protocol' | 'nextHop' | 'hboneTarget' | 'destinationWorkload'> {
    const ip = pickIp(workload, addressedIp);
    const socket: SocketTarget = { ip, port };
    if (workload.protocol === 'HBONE') {
      return { route: 'direct', protocol: 'HBONE', nextHop: { ip, port: HBONE_PORT }, hboneTarget: ipAuthority(ip, port), destinationWorkload: workload };
    }
    return { route: 'direct', protocol: 'TCP', nextHop: socket, hboneTarget: undefined, destinationWorkload: workload };
  }

  /** The waypoint's workload and how to reach it: always HBONE, on its gateway port. */
  #waypoint(source: Workload, gateway: GatewayAddress): Pick<OutboundPlan, 'protocol' | 'nextHop' | 'destinationWorkload' | 'upstreamIdentities'> {
    const [name, workload, sans] = this.#waypointWorkload(source, gateway);
    const ip = workload.workloadIps[0];
    if (ip === undefined) throw new WaypointUnavailableError(name, `its workload ${workload.uid} has no IP address`);
    return { protocol: 'HBONE', nextHop: { ip, port: gateway.hboneMtlsPort }, destinationWorkload: workload, upstreamIdentities: [workload.identity, ...sans] };
  }

  #waypointWorkload(source: Workload, gateway: GatewayAddress): [string, Workload, readonly string[]] {
    if ('address' in gateway.destination) {
      const { network, address } = gateway.destination.address;
      const name = `${network}/${address}`;
      const workload = this.#state.workloads.byAddress(network, address);
      if (workload === undefined) throw new WaypointUnavailableError(name, 'no workload has this address');
      return [name, workload, []];
    }
    const { namespace, hostname } = gateway.destination.hostname;
    const name = `${namespace}/${hostname}`;
    const service = this.#state.services.byKey(name);
    if (service === undefined) throw new WaypointUnavailableError(name, 'no such service');
    const candidates: Candidate[] = [];
    for (const endpoint of this.#state.services.endpoints(name).values()) {
      const workload = this.#state.workloads.byUid(endpoint.workloadUid);
      if (endpoint.status === 'Healthy' && workload !== undefined && workload.workloadIps.length > 0) candidates.push({ endpoint, workload });
    }
    const preferred = preferredCandidates(service, source, candidates);
    if (preferred.length === 0) throw new WaypointUnavailableError(name, 'it has no healthy endpoint');
    return [name, this.#picker.pick(service, preferred).workload, service.subjectAltNames];
  }

  #isWaypointOf(source: Workload, gateway: GatewayAddress): boolean {
    if ('address' in gateway.destination) return source.workloadIps.includes(gateway.destination.address.address);
    const { namespace, hostname } = gateway.destination.hostname;
    return source.services.has(`${namespace}/${hostname}`);
  }
}

/** The IP the connection was addressed to if it is the workload's, else one of the same family, else the first. */
function pickIp(workload: Workload, addressedIp: string | undefined): string {
  if (addressedIp !== undefined && workload.workloadIps.includes(addressedIp)) return addressedIp;
  const v6 = addressedIp?.includes(':') ?? false;
  const ip = workload.workloadIps.find((candidate) => candidate.includes(':') === v6) ?? workload.workloadIps[0];
  if (ip === undefined) throw new NoWorkloadAddressError(workload.uid);
  return ip;
}

/** `ip:port` as an HTTP authority (IPv6 bracketed). */
function ipAuthority(ip: string, port: number): string {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}
