import { L7Proxy, WAYPOINT_ROUTE_TABLES, type ProxyAddresses, type ProxyOptions, type MeshView } from '@ambit/l7-proxy';
import { formatAddress } from '@ambit/telemetry';
import type { HostPort, WaypointConfig } from './config/index.js';
import { HboneInbound, type HboneInboundTuning } from './inbound/index.js';
import type { Readiness } from '@ambit/process';

export interface WaypointOptions extends ProxyOptions {
  /** HBONE server limits and timeouts (tests shorten them). */
  readonly hbone?: HboneInboundTuning;
}

export type WaypointAddresses = ProxyAddresses;

/**
 * One waypoint: an L7 proxy (libs/l7-proxy: identity, certificate, xDS with `role:
 * waypoint` for Address, its route tables and their clusters, the engine, HBONE
 * upstream, metrics with reporter="waypoint") whose front is HBONE on its pod IP: every
 * CONNECT to a service VIP and port it serves is routed with that port's route table.
 */
export class Waypoint {
  readonly config: WaypointConfig;
  readonly #proxy: L7Proxy<HboneInbound>;

  constructor(config: WaypointConfig, options: WaypointOptions = {}) {
    this.config = config;
    this.#proxy = new L7Proxy(
      config,
      {
        program: 'waypoint',
        role: 'waypoint',
        // Authorization: its AuthorizationPolicies (targetRefs), enforced per request after routing.
        watch: ['RouteTable', 'Cluster', 'Authorization'],
        routeTables: WAYPOINT_ROUTE_TABLES,
        reporter: 'waypoint',
        // Its clusters are the services that use it: to their workloads, never back to itself.
        viaWaypoint: false,
        metricsPrefix: 'ambit_waypoint',
        frontName: 'hbone',
        front: async ({ state, trust, certificate, engine, podIp, workload, log }) => {
          const inbound = new HboneInbound({ state, network: config.network, trust, certificate: () => certificate.current(), engine, log: log.child('inbound'), ...(options.hbone === undefined ? {} : { server: options.hbone }) });
          try {
            await inbound.listen(podIp, config.hbonePort);
          } catch (error) {
            await inbound.close(Date.now());
            throw error;
          }
          log.info('waypoint serving HBONE', { address: formatAddress(inbound.address!), identity: workload.identity });
          return inbound;
        },
      },
      options,
    );
  }

  get state(): MeshView {
    return this.#proxy.state;
  }

  start(): Promise<void> {
    return this.#proxy.start();
  }

  /** Stops accepting, lets requests finish until the drain timeout, then stops xDS, the CA client and the endpoints. */
  close(): Promise<void> {
    return this.#proxy.close();
  }

  get addresses(): WaypointAddresses {
    return this.#proxy.addresses;
  }

  /** Where HBONE is served, once the waypoint knows its address and has bound it. */
  get hboneAddress(): HostPort | undefined {
    return this.#proxy.front?.address;
  }

  /** What `/healthz/ready` reports: own workload known, certificate held, xDS synced, HBONE bound. */
  readiness(): Readiness {
    return this.#proxy.readiness();
  }
}
