import type { Resource, VirtualServiceResource } from '@ambit/config-model';
import { MESH_GATEWAY, resolveHost } from '@ambit/mesh-model';
import { DEP, idOf } from './deps.js';

/**
 * `namespace/name` of a Gateway a VirtualService names: `ns/name`, or a bare name in
 * the VirtualService's namespace (Istio's resolution); undefined for `mesh`.
 */
export function gatewayKey(reference: string, vsNamespace: string): string | undefined {
  if (reference === MESH_GATEWAY) return undefined;
  return reference.includes('/') ? reference : `${vsNamespace}/${reference}`;
}

/** Whether a VirtualService (its own `gateways`) applies to the mesh: none listed, or `mesh` among them. */
export function boundToMesh(vs: VirtualServiceResource): boolean {
  const gateways = vs.spec.gateways ?? [];
  return gateways.length === 0 || gateways.includes(MESH_GATEWAY);
}

/**
 * What the L7 stage indexes beyond the model's analysis index: VirtualServices by the
 * Gateway they are bound to, mesh VirtualServices with wildcard hosts, and the Istio
 * Gateways. `change` also says which dependency keys a resource touches, for the old
 * and the new version alike. One writer: the L7 translator.
 */
export class L7Index {
  readonly #clusterDomain: string;
  readonly #byGateway = new Map<string, Map<string, VirtualServiceResource>>();
  readonly #wildcard = new Map<string, VirtualServiceResource>();
  readonly #gateways = new Set<string>();

  constructor(clusterDomain: string) {
    this.#clusterDomain = clusterDomain;
  }

  virtualServicesBoundTo(gateway: string): VirtualServiceResource[] {
    return [...(this.#byGateway.get(gateway)?.values() ?? [])];
  }

  wildcardMeshVirtualServices(): VirtualServiceResource[] {
    return [...this.#wildcard.values()];
  }

  gateways(): string[] {
    return [...this.#gateways];
  }

  /** Indexes (`add`) or unindexes a routing resource and adds the dependency keys it touches to `touched`. */
  change(resource: Resource, add: boolean, touched: Set<string>): void {
    const { namespace, name } = resource.metadata;
    const key = `${namespace}/${name}`;
    switch (resource.kind) {
      case 'VirtualService': {
        touched.add(DEP.virtualService(key));
        for (const reference of resource.spec.gateways ?? []) {
          const gateway = gatewayKey(reference, namespace);
          if (gateway === undefined) continue;
          touched.add(DEP.gatewayRoutes(gateway));
          updateNested(this.#byGateway, gateway, idOf(resource), add ? resource : undefined);
        }
        if (!boundToMesh(resource)) return;
        const hosts = (resource.spec.hosts ?? []).map((h) => resolveHost(h, namespace, this.#clusterDomain));
        for (const host of hosts) touched.add(host.startsWith('*') ? DEP.meshWildcard : DEP.meshHost(host));
        if (hosts.some((h) => h.startsWith('*'))) {
          if (add) this.#wildcard.set(key, resource);
          else this.#wildcard.delete(key);
        }
        return;
      }
      case 'DestinationRule': {
        const host = resolveHost(resource.spec.host, namespace, this.#clusterDomain);
        touched.add(host.startsWith('*') ? DEP.rulesWildcard : DEP.rulesFor(host));
        return;
      }
      case 'Gateway':
        if (resource.group !== 'networking.istio.io') return;
        touched.add(DEP.gateway(key));
        if (add) this.#gateways.add(key);
        else this.#gateways.delete(key);
        return;
      default:
        return;
    }
  }
}

function updateNested<V>(map: Map<string, Map<string, V>>, outer: string, inner: string, value: V | undefined): void {
  let entries = map.get(outer);
  if (value !== undefined) {
    if (entries === undefined) map.set(outer, (entries = new Map()));
    entries.set(inner, value);
    return;
  }
  entries?.delete(inner);
  if (entries?.size === 0) map.delete(outer);
}
