import { GATEWAY_ROUTE_TABLES, L7Proxy, type MeshView, type ProxyAddresses, type ProxyOptions } from '@ambit/l7-proxy';
import type { Readiness } from '@ambit/process';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { listenPort, type GatewayConfig } from './config/index.js';
import { CredentialStore } from './credentials/index.js';
import { GatewayListeners, type PortStatus } from './listeners/index.js';

export type GatewayOptions = ProxyOptions;
export type GatewayAddresses = ProxyAddresses;

/**
 * One ingress gateway: an L7 proxy (libs/l7-proxy: identity, certificate, xDS with
 * `role: gateway` for Address, the Listeners that select it, their route tables and
 * clusters, the engine, HBONE upstream, metrics with reporter="source") whose front is
 * the Gateway servers' ports on its pod IP, with TLS credentials from Secrets.
 */
export class IngressGateway {
  readonly config: GatewayConfig;
  readonly #proxy: L7Proxy<GatewayListeners>;
  readonly #credentials: CredentialStore;

  constructor(config: GatewayConfig, options: GatewayOptions = {}) {
    this.config = config;
    const credentials = new CredentialStore({ dir: config.configDir, log: (options.log ?? SILENT_LOGGER).child('credentials') });
    this.#credentials = credentials;
    this.#proxy = new L7Proxy(
      config,
      {
        program: 'ingress-gateway',
        role: 'gateway',
        watch: ['Listener', 'RouteTable', 'Cluster'],
        routeTables: GATEWAY_ROUTE_TABLES,
        // Istio's gateways report their requests as the client side of the mesh.
        reporter: 'source',
        viaWaypoint: true,
        metricsPrefix: 'ambit_gateway',
        frontName: 'listeners',
        front: async ({ state, engine, podIp, workload, log }) => {
          await credentials.start();
          const listeners = new GatewayListeners({ state, engine, credentials, podIp, namespace: workload.namespace, listenPort: (port) => listenPort(config, port), log: log.child('listeners') });
          await listeners.reconcile();
          return listeners;
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

  /** Stops accepting, lets requests finish until the drain timeout, then stops xDS, the CA client, the endpoints and the credential watch. */
  async close(): Promise<void> {
    await this.#proxy.close();
    this.#credentials.close();
  }

  get addresses(): GatewayAddresses {
    return this.#proxy.addresses;
  }

  /** The Gateway ports served now, each with its listen address. */
  ports(): readonly PortStatus[] {
    return this.#proxy.front?.ports() ?? [];
  }

  /** Waits until the ports are in line with the Listeners received so far (tests, local mode). */
  async settled(): Promise<void> {
    await this.#proxy.front?.reconcile();
  }

  /** What `/healthz/ready` reports: own workload known, certificate held, xDS synced, ports bound. */
  readiness(): Readiness {
    return this.#proxy.readiness();
  }
}
