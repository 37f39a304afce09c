import type { Service, StateView, Workload } from '../state/index.js';

export type MeshName = { readonly kind: 'service'; readonly service: Service } | { readonly kind: 'workload'; readonly workload: Workload };

/** Kubernetes' resolv.conf default: names with fewer dots try the search list first. */
const NDOTS = 5;
const MAX_NAME = 253;

/**
 * Resolves a host name against the mesh's own names, as a pod's resolver would with
 * Kubernetes' search list (`<ns>.svc.<domain>`, `svc.<domain>`, `<domain>`, ndots 5) so
 * that `reviews`, `reviews.bookinfo` and `reviews.bookinfo.svc.cluster.local` all name
 * the same service for a source in `bookinfo`. Services win over workloads, as in
 * ztunnel's `find_hostname`. Undefined when no mesh name matches.
 */
export function resolveMeshName(state: StateView, name: string, sourceNamespace: string, clusterDomain: string): MeshName | undefined {
  if (name.length === 0 || name.length > MAX_NAME + 1) return undefined;
  const lower = name.toLowerCase();
  for (const candidate of searchList(lower, sourceNamespace, clusterDomain)) {
    const services = state.services.byHostname(candidate);
    if (services.length > 0) return { kind: 'service', service: preferred(services, sourceNamespace, clusterDomain) };
    const workload = state.workloads.byHostname(candidate);
    if (workload !== undefined) return { kind: 'workload', workload };
  }
  return undefined;
}

function searchList(name: string, namespace: string, domain: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const searched = [`${name}.${namespace}.svc.${domain}`, `${name}.svc.${domain}`, `${name}.${domain}`];
  const dots = name.split('.').length - 1;
  return dots >= NDOTS ? [name, ...searched] : [...searched, name];
}

/**
 * One hostname may be defined in several namespaces (ServiceEntry). Prefer the
 * source's own namespace, then the Kubernetes Service the name itself points at
 * (`<name>.<ns>.svc.<domain>` in `<ns>`), then the first by key, so the choice is stable.
 */
function preferred(services: readonly Service[], sourceNamespace: string, domain: string): Service {
  const own = services.find((s) => s.namespace === sourceNamespace);
  if (own !== undefined) return own;
  const kubernetes = services.find((s) => s.hostname.endsWith(`.${s.namespace}.svc.${domain}`));
  if (kubernetes !== undefined) return kubernetes;
  return [...services].sort((a, b) => (a.key < b.key ? -1 : 1))[0]!;
}
