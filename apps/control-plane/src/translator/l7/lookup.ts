import type { GatewayResource, VirtualServiceResource } from '@ambit/config-model';
import { compare, hostCovers, resolveHost, visibleFrom, type MeshModel, type ServiceSource } from '@ambit/mesh-model';
import { effectiveRule, type EffectiveRule } from './destination-rules.js';
import type { L7Index } from './l7-index.js';
import { DEP, idOf, type Reads } from './deps.js';
import { clusterName } from './names.js';

/** A destination as VirtualServices write it. */
export interface DestinationRef {
  readonly host: string;
  readonly subset?: string | undefined;
  readonly port?: { readonly number?: number | undefined } | undefined;
}

/** Reads of the model and the L7 index that record what they read. */
export class L7Lookup {
  readonly #model: MeshModel;
  readonly #index: L7Index;

  constructor(model: MeshModel, index: L7Index) {
    this.#model = model;
    this.#index = index;
  }

  get model(): MeshModel {
    return this.#model;
  }

  /**
   * The mesh VirtualService for a service's host: an exact host before a wildcard, one
   * in the service's namespace before others, then by namespace and name (Istio applies
   * one VirtualService per host; the analysis reports the others).
   */
  meshVirtualService(hostname: string, serviceNamespace: string, reads: Reads): VirtualServiceResource | undefined {
    reads.add(DEP.meshHost(hostname));
    reads.add(DEP.meshWildcard);
    const exact = this.#model.config.meshVirtualServicesFor(hostname).map((m) => m.resource);
    const wildcard = this.#index.wildcardMeshVirtualServices().filter((vs) => this.#hosts(vs).some((h) => hostCovers(h, hostname)));
    const visible = (vs: VirtualServiceResource) => visibleFrom(vs.spec.exportTo ?? [], vs.metadata.namespace, serviceNamespace);
    const order = (a: VirtualServiceResource, b: VirtualServiceResource) =>
      Number(a.metadata.namespace !== serviceNamespace) - Number(b.metadata.namespace !== serviceNamespace) || compareIds(a, b);
    const chosen = [...exact.filter(visible).sort(order), ...wildcard.filter(visible).sort(order)][0];
    if (chosen !== undefined) reads.add(DEP.virtualService(idOf(chosen)));
    return chosen;
  }

  virtualService(namespace: string, name: string, reads: Reads): VirtualServiceResource | undefined {
    reads.add(DEP.virtualService(`${namespace}/${name}`));
    const resource = this.#model.config.resource({ group: 'networking.istio.io', kind: 'VirtualService', namespace, name });
    return resource?.kind === 'VirtualService' ? resource : undefined;
  }

  gatewayVirtualServices(gateway: string, reads: Reads): VirtualServiceResource[] {
    reads.add(DEP.gatewayRoutes(gateway));
    const bound = this.#index.virtualServicesBoundTo(gateway);
    for (const vs of bound) reads.add(DEP.virtualService(idOf(vs)));
    return [...bound].sort(compareIds);
  }

  gateway(key: string, reads: Reads): GatewayResource | undefined {
    reads.add(DEP.gateway(key));
    const slash = key.indexOf('/');
    return this.#model.config.istioGateway(key.slice(0, slash), key.slice(slash + 1));
  }

  /** The merged DestinationRule of a service. */
  rule(service: ServiceSource, reads: Reads): EffectiveRule | undefined {
    reads.add(DEP.rulesFor(service.hostname));
    reads.add(DEP.rulesWildcard);
    return effectiveRule(this.#model.config, service.hostname, service.namespace, this.#model.settings.rootNamespace);
  }

  /**
   * The Cluster a destination names, or "" when there is none: no service of that
   * exact host visible from the VirtualService's namespace, a port it does not have (or
   * none given while it has several and `defaultPort` is not one), or a subset its
   * DestinationRule does not define.
   */
  cluster(destination: DestinationRef, vsNamespace: string, defaultPort: number | undefined, reads: Reads): string {
    const host = resolveHost(destination.host, vsNamespace, this.#model.settings.clusterDomain);
    reads.add(DEP.host(host));
    const service = this.service(host, vsNamespace);
    if (service === undefined) return '';
    const ports = service.ports.map((p) => p.port);
    const written = destination.port?.number;
    const port = written ?? (ports.length === 1 ? ports[0] : defaultPort);
    if (port === undefined || !ports.includes(port)) return '';
    const subset = destination.subset ?? '';
    if (subset !== '' && this.rule(service, reads)?.subsets.has(subset) !== true) return '';
    return clusterName(host, port, subset);
  }

  /** The service that owns an exact hostname, as seen from a namespace. */
  service(hostname: string, fromNamespace: string): ServiceSource | undefined {
    const declared = this.#model.config
      .hostsServing(hostname)
      .filter((h) => h.hostname === hostname && visibleFrom(h.exportTo, h.namespace, fromNamespace))
      .sort((a, b) => compare(a.namespace, b.namespace));
    for (const h of declared) {
      const service = this.#model.view.service(`${h.namespace}/${hostname}`);
      if (service !== undefined) return service;
    }
    return undefined;
  }

  #hosts(vs: VirtualServiceResource): string[] {
    return (vs.spec.hosts ?? []).map((h) => resolveHost(h, vs.metadata.namespace, this.#model.settings.clusterDomain));
  }
}

function compareIds(a: VirtualServiceResource, b: VirtualServiceResource): number {
  return compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name);
}
