/**
 * The labels and annotations of Istio, Kubernetes and the Gateway API that change how
 * the mesh treats an object. Names are Istio's (istio.io/api label and annotation
 * packages), so that YAML written for Istio means the same here.
 */
export const LABEL = {
  dataplaneMode: 'istio.io/dataplane-mode',
  useWaypoint: 'istio.io/use-waypoint',
  useWaypointNamespace: 'istio.io/use-waypoint-namespace',
  waypointFor: 'istio.io/waypoint-for',
  /** Comma-separated tunnel protocols a workload terminates natively (`http` = HBONE). */
  tunnel: 'networking.istio.io/tunnel',
  /** Set by the Gateway controller on the pods of a gateway (and so of a waypoint). */
  gatewayName: 'gateway.networking.k8s.io/gateway-name',
  /** Set on the Service Istio creates for a waypoint; a waypoint never uses a waypoint. */
  gatewayManaged: 'gateway.istio.io/managed',
  canonicalName: 'service.istio.io/canonical-name',
  canonicalRevision: 'service.istio.io/canonical-revision',
  workloadName: 'service.istio.io/workload-name',
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
} as const;

export const ANNOTATION = {
  /** Written by istio-cni once a pod's traffic is redirected to ztunnel. */
  ambientRedirection: 'ambient.istio.io/redirection',
  /** Present on pods that run an Istio sidecar; ambient never captures them. */
  sidecarStatus: 'sidecar.istio.io/status',
  trafficDistribution: 'networking.istio.io/traffic-distribution',
  dryRun: 'istio.io/dry-run',
  autoRegistrationGroup: 'istio.io/autoRegistrationGroup',
  /** Which namespaces see a Service (comma-separated, as a ServiceEntry's exportTo). */
  exportTo: 'networking.istio.io/exportTo',
} as const;

export const DATAPLANE_MODE_AMBIENT = 'ambient';
export const AMBIENT_REDIRECTION_ENABLED = 'enabled';
export const MANAGED_BY_MESH_CONTROLLER = 'istio.io-mesh-controller';
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The port of a waypoint's HBONE listener; Istio does not look it up either. */
export const WAYPOINT_HBONE_PORT = 15008;
