import type { securityV1 } from '@ambit/xds';

/**
 * A proxy's state, as validated from the control plane's xDS resources: what ztunnel's
 * inbound and outbound paths and the waypoint's routing and telemetry read. Everything here
 * is immutable; an update replaces objects, never mutates them, so a reader holding a
 * workload keeps a consistent one.
 */

/** How a workload is reached: through its node's ztunnel (HBONE) or directly (TCP, outside the mesh). */
export type TunnelProtocol = 'HBONE' | 'TCP';

export type HealthStatus = 'Healthy' | 'Unhealthy';

/** ztunnel's names for the load-balancing scopes a service prefers (Istio's routing preferences). */
export type LocalityScope = 'Region' | 'Zone' | 'Subzone' | 'Node' | 'Cluster' | 'Network';

/** Standard: any healthy endpoint; Strict: only endpoints matching every scope; Failover: the best-matching ones. */
export type LoadBalancerMode = 'Standard' | 'Strict' | 'Failover';

export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
}

/** An address on a network (a VIP, a waypoint's fixed address). */
export interface NetworkAddress {
  readonly network: string;
  readonly address: string;
}

/** Where a waypoint is reached: a service (resolved through the service store) or a fixed address; HBONE on `hboneMtlsPort`. */
export interface GatewayAddress {
  readonly destination: { readonly hostname: { readonly namespace: string; readonly hostname: string } } | { readonly address: NetworkAddress };
  readonly hboneMtlsPort: number;
}

/** Service port → the port the workload listens on for it. */
export type PortMap = ReadonlyMap<number, number>;

export interface Workload {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** Canonical IP texts (0 to 2: single or dual stack). */
  readonly workloadIps: readonly string[];
  readonly hostname: string;
  readonly network: string;
  readonly protocol: TunnelProtocol;
  readonly trustDomain: string;
  readonly serviceAccount: string;
  /** `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`: what its certificate carries. */
  readonly identity: string;
  readonly waypoint: GatewayAddress | undefined;
  readonly node: string;
  readonly canonicalName: string;
  readonly canonicalRevision: string;
  readonly workloadType: string;
  readonly workloadName: string;
  /** The services it backs, keyed `namespace/hostname`, with its port for each service port. */
  readonly services: ReadonlyMap<string, PortMap>;
  readonly authorizationPolicies: readonly string[];
  readonly status: HealthStatus;
  readonly clusterId: string;
  readonly locality: Locality;
}

export interface LoadBalancer {
  readonly routingPreferences: readonly LocalityScope[];
  readonly mode: LoadBalancerMode;
}

export interface Service {
  /** `namespace/hostname`: its xDS name and key. */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly hostname: string;
  readonly vips: readonly NetworkAddress[];
  /** Service port → target port; a target of 0 (a named port) is known only per endpoint. */
  readonly ports: PortMap;
  readonly subjectAltNames: readonly string[];
  readonly waypoint: GatewayAddress | undefined;
  readonly loadBalancer: LoadBalancer | undefined;
}

/** A workload as an endpoint of one service. */
export interface Endpoint {
  readonly workloadUid: string;
  /** The workload's own port mapping for the service (overrides the service's target ports). */
  readonly ports: PortMap;
  readonly status: HealthStatus;
}

/** An L4 authorization policy as the control plane compiled it; evaluated by libs/authz. */
export interface Policy {
  /** `namespace/name`: its xDS name and the key workloads list in `authorizationPolicies`. */
  readonly key: string;
  readonly authorization: securityV1.Authorization;
}
