import { networkAddressKey } from '../ip.js';
import type { Endpoint, Service, Workload } from '../types.js';

const NO_ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map();

/** What readers may ask of the services: lookups only. */
export interface ServiceView {
  readonly size: number;
  /** By `namespace/hostname`. */
  byKey(key: string): Service | undefined;
  /** The service that owns a virtual IP on `network`. */
  byVip(network: string, ip: string): Service | undefined;
  /** Every service of that hostname: usually one, but a ServiceEntry may reuse a hostname in another namespace. */
  byHostname(hostname: string): readonly Service[];
  /** The endpoints of a service by workload uid, healthy or not (also before the service itself arrives). */
  endpoints(key: string): ReadonlyMap<string, Endpoint>;
  /** Service keys that workloads name but that are not known (yet): the config dump's `stagedServices`. */
  stagedKeys(): string[];
  all(): IterableIterator<Service>;
}

/**
 * Services by key, with indexes by (network, VIP) and hostname, and each service's
 * endpoints. Endpoints come from the workloads (`Workload.services`) and are kept per
 * service key whether or not the service is known yet, so that the order in which the
 * control plane sends workloads and services does not matter (ztunnel's "staged services").
 */
export class ServiceStore implements ServiceView {
  readonly #byKey = new Map<string, Service>();
  readonly #byVip = new Map<string, Service>();
  readonly #byHostname = new Map<string, Service[]>();
  readonly #endpoints = new Map<string, Map<string, Endpoint>>();

  get size(): number {
    return this.#byKey.size;
  }

  byKey(key: string): Service | undefined {
    return this.#byKey.get(key);
  }

  byVip(network: string, ip: string): Service | undefined {
    return this.#byVip.get(networkAddressKey(network, ip));
  }

  byHostname(hostname: string): readonly Service[] {
    return this.#byHostname.get(hostname) ?? [];
  }

  endpoints(key: string): ReadonlyMap<string, Endpoint> {
    return this.#endpoints.get(key) ?? NO_ENDPOINTS;
  }

  stagedKeys(): string[] {
    return [...this.#endpoints.keys()].filter((key) => !this.#byKey.has(key));
  }

  all(): IterableIterator<Service> {
    return this.#byKey.values();
  }

  insert(service: Service): Service | undefined {
    const previous = this.remove(service.key);
    this.#byKey.set(service.key, service);
    for (const vip of service.vips) this.#byVip.set(networkAddressKey(vip.network, vip.address), service);
    const sameHost = this.#byHostname.get(service.hostname);
    if (sameHost === undefined) this.#byHostname.set(service.hostname, [service]);
    else sameHost.push(service);
    return previous;
  }

  remove(key: string): Service | undefined {
    const service = this.#byKey.get(key);
    if (service === undefined) return undefined;
    this.#byKey.delete(key);
    for (const vip of service.vips) {
      const vipKey = networkAddressKey(vip.network, vip.address);
      if (this.#byVip.get(vipKey)?.key === key) this.#byVip.delete(vipKey);
    }
    const remaining = (this.#byHostname.get(service.hostname) ?? []).filter((s) => s.key !== key);
    if (remaining.length === 0) this.#byHostname.delete(service.hostname);
    else this.#byHostname.set(service.hostname, remaining);
    return service;
  }

  /** Moves a workload's endpoints from what `previous` backed to what `next` backs (either may be absent). */
  updateEndpoints(previous: Workload | undefined, next: Workload | undefined): void {
    if (previous !== undefined) {
      for (const key of previous.services.keys()) {
        const endpoints = this.#endpoints.get(key);
        endpoints?.delete(previous.uid);
        if (endpoints?.size === 0) this.#endpoints.delete(key);
      }
    }
    if (next === undefined) return;
    for (const [key, ports] of next.services) {
      let endpoints = this.#endpoints.get(key);
      if (endpoints === undefined) this.#endpoints.set(key, (endpoints = new Map()));
      endpoints.set(next.uid, { workloadUid: next.uid, ports, status: next.status });
    }
  }
}
