import { l7V1, securityV1, watchResources, workloadV1, XdsClient, XdsClientCredentials, type ResourceUpdate } from '@ambit/xds';
import { AsyncQueue } from '@ambit/test-support';
import type { ListenAddress } from '../../src/config/index.js';
import type { ProxyCertificate } from './proxy.js';

export interface L7TestProxyOptions {
  readonly address: ListenAddress;
  readonly certificate: ProxyCertificate;
  readonly trustBundle: readonly string[];
  readonly serverIdentity: string;
  readonly nodeId: string;
  /** The xDS node metadata role: waypoint, gateway, ztunnel. */
  readonly role: string;
}

/** The latest resources of one type a proxy holds, and every update it ACKed. */
export class HeldResources<T> {
  readonly updates = new AsyncQueue<ResourceUpdate<T>>();
  readonly held = new Map<string, T>();

  apply(update: ResourceUpdate<T>): void {
    for (const { name, resource } of update.upserted) this.held.set(name, resource);
    for (const name of update.removed) this.held.delete(name);
    this.updates.push(update);
  }

  names(): string[] {
    return [...this.held.keys()].sort();
  }
}

/**
 * A waypoint's or gateway's xDS side, reduced to what tests look at: wildcard
 * subscriptions to every L7 type, to Addresses and to Authorizations with the real client, over mutual
 * TLS with its own certificate, stating its role in the node metadata.
 */
export class L7TestProxy {
  readonly client: XdsClient;
  readonly addresses = new HeldResources<workloadV1.Address>();
  readonly routeTables = new HeldResources<l7V1.RouteTable>();
  readonly clusters = new HeldResources<l7V1.Cluster>();
  readonly listeners = new HeldResources<l7V1.Listener>();
  readonly authorizations = new HeldResources<securityV1.Authorization>();

  constructor(options: L7TestProxyOptions) {
    this.client = new XdsClient({
      target: `${options.address.host}:${options.address.port}`,
      credentials: new XdsClientCredentials({ ...options.certificate, trustBundle: options.trustBundle, serverIdentities: [options.serverIdentity] }),
      node: { id: options.nodeId, metadata: { role: options.role } },
      resources: [
        watchResources(workloadV1.Address, (u) => this.addresses.apply(u)),
        watchResources(l7V1.Cluster, (u) => this.clusters.apply(u)),
        watchResources(l7V1.RouteTable, (u) => this.routeTables.apply(u)),
        watchResources(l7V1.Listener, (u) => this.listeners.apply(u)),
        watchResources(securityV1.Authorization, (u) => this.authorizations.apply(u)),
      ],
      backoff: { initialMs: 50, maxMs: 200 },
    });
    this.client.start();
  }

  close(): void {
    this.client.close();
  }
}
