/**
 * A resource the stand-in serves, as the API server's discovery would describe it.
 * Custom resources (the Istio and Gateway API CRDs) differ from built-in ones in one way
 * a client can see: list items keep their `apiVersion` and `kind`.
 */
export interface ServedResource {
  /** API group; '' for the core group (served under /api/v1). */
  readonly group: string;
  readonly kind: string;
  /** The path segment: `pods`, `virtualservices`. */
  readonly plural: string;
  /** Versions served, the storage version first; objects are served as any of them. */
  readonly versions: readonly string[];
  readonly namespaced: boolean;
  readonly custom: boolean;
}

const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

const builtIn = (group: string, kind: string, plural: string, namespaced: boolean): ServedResource => ({ group, kind, plural, versions: ['v1'], namespaced, custom: false });
const custom = (group: string, kind: string, plural: string, versions: readonly string[]): ServedResource => ({ group, kind, plural, versions, namespaced: true, custom: true });

/** Everything the stand-in serves unless told to leave some out (a CRD that is not installed). */
export const SERVED_RESOURCES: readonly ServedResource[] = [
  builtIn('', 'Namespace', 'namespaces', false),
  builtIn('', 'Node', 'nodes', false),
  builtIn('', 'Service', 'services', true),
  builtIn('', 'Pod', 'pods', true),
  builtIn('discovery.k8s.io', 'EndpointSlice', 'endpointslices', true),
  builtIn('', 'Secret', 'secrets', true),
  builtIn('', 'ServiceAccount', 'serviceaccounts', true),
  custom('networking.istio.io', 'VirtualService', 'virtualservices', ISTIO_VERSIONS),
  custom('networking.istio.io', 'DestinationRule', 'destinationrules', ISTIO_VERSIONS),
  custom('networking.istio.io', 'Gateway', 'gateways', ISTIO_VERSIONS),
  custom('networking.istio.io', 'ServiceEntry', 'serviceentries', ISTIO_VERSIONS),
  custom('networking.istio.io', 'WorkloadEntry', 'workloadentries', ISTIO_VERSIONS),
  custom('networking.istio.io', 'Sidecar', 'sidecars', ISTIO_VERSIONS),
  custom('security.istio.io', 'PeerAuthentication', 'peerauthentications', ['v1', 'v1beta1']),
  custom('security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies', ['v1', 'v1beta1']),
  custom('security.istio.io', 'RequestAuthentication', 'requestauthentications', ['v1', 'v1beta1']),
  custom('telemetry.istio.io', 'Telemetry', 'telemetries', ['v1', 'v1alpha1']),
  custom('gateway.networking.k8s.io', 'Gateway', 'gateways', ['v1', 'v1beta1']),
];

/** `<plural>.<group>` (`pods` for the core group), as kubectl and RBAC name a resource. */
export function resourceName(resource: Pick<ServedResource, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
