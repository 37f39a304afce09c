/**
 * One kind the Kubernetes provider lists and watches: where the API server serves it,
 * and whether a missing resource means "CRD not installed" rather than an error.
 */
export interface WatchedKind {
  /** API group; '' for the core group. */
  readonly group: string;
  /** The version listed and watched; config-model reads every version of a kind alike. */
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Defined by a CustomResourceDefinition: a 404 on list means it is not installed. */
  readonly crd: boolean;
  /** Sent with list and watch, to leave out objects the mesh never reads. */
  readonly fieldSelector?: string;
}

const core = (kind: string, plural: string, namespaced: boolean, fieldSelector?: string): WatchedKind => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  namespaced,
  crd: false,
  ...(fieldSelector === undefined ? {} : { fieldSelector }),
});
const crd = (group: string, kind: string, plural: string): WatchedKind => ({ group, version: 'v1', kind, plural, namespaced: true, crd: true });

/**
 * Every kind the provider watches, in the order informers start: namespaces and nodes
 * first (what pods and services are read against), then workloads, then Istio's and the
 * Gateway API's CRDs. Istio's kinds are watched at v1, served since Istio 1.22.
 */
export const WATCHED_KINDS: readonly WatchedKind[] = [
  core('Namespace', 'namespaces', false),
  core('Node', 'nodes', false),
  core('Service', 'services', true),
  core('Pod', 'pods', true),
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true, crd: false },
  // Service-account token Secrets are credentials the mesh never reads: not fetched at all, as in Istio.
  core('Secret', 'secrets', true, 'type!=kubernetes.io/service-account-token'),
  core('ServiceAccount', 'serviceaccounts', true),
  crd('networking.istio.io', 'VirtualService', 'virtualservices'),
  crd('networking.istio.io', 'DestinationRule', 'destinationrules'),
  crd('networking.istio.io', 'Gateway', 'gateways'),
  crd('networking.istio.io', 'ServiceEntry', 'serviceentries'),
  crd('networking.istio.io', 'WorkloadEntry', 'workloadentries'),
  crd('networking.istio.io', 'Sidecar', 'sidecars'),
  crd('security.istio.io', 'PeerAuthentication', 'peerauthentications'),
  crd('security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies'),
  crd('security.istio.io', 'RequestAuthentication', 'requestauthentications'),
  crd('telemetry.istio.io', 'Telemetry', 'telemetries'),
  crd('gateway.networking.k8s.io', 'Gateway', 'gateways'),
];

/** The collection path, across all namespaces: `/api/v1/pods`, `/apis/<group>/<version>/<plural>`. */
export function collectionPath(kind: WatchedKind): string {
  return kind.group === '' ? `/api/${kind.version}/${kind.plural}` : `/apis/${kind.group}/${kind.version}/${kind.plural}`;
}

/** One object's path: `/api/v1/namespaces/<ns>/pods/<name>`. */
export function objectPath(kind: WatchedKind, namespace: string, name: string): string {
  const prefix = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return kind.namespaced ? `${prefix}/namespaces/${namespace}/${kind.plural}/${name}` : `${prefix}/${kind.plural}/${name}`;
}

/** `<plural>.<group>` (`pods` in the core group), as RBAC and kubectl name a resource. */
export function resourceOf(kind: WatchedKind): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

export function apiVersionOf(kind: WatchedKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}
