/**
 * The waypoint's view of the mesh, validated from the control plane's Address
 * resources: only what the waypoint reads (routing a tunnel by VIP, picking endpoints,
 * labelling telemetry). Immutable: an update replaces objects, never mutates them.
 */

/** How a workload is reached: through its node's ztunnel (HBONE) or directly (TCP, outside the mesh). */
export type TunnelProtocol = 'HBONE' | 'TCP';

/** Service port → the port the workload listens on for it (0: a named port, known per endpoint). */
export type PortMap = ReadonlyMap<number, number>;

export interface NetworkAddress {
  readonly network: string;
  readonly address: string;
}

export interface Workload {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** Canonical IP texts. */
  readonly workloadIps: readonly string[];
  readonly network: string;
  readonly protocol: TunnelProtocol;
  readonly serviceAccount: string;
  /** `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`: what its certificate carries. */
  readonly identity: string;
  readonly node: string;
  readonly canonicalName: string;
  readonly canonicalRevision: string;
  readonly workloadName: string;
  readonly clusterId: string;
  /** The services it backs, keyed `namespace/hostname`, with its port for each service port. */
  readonly services: ReadonlyMap<string, PortMap>;
  readonly healthy: boolean;
}

export interface Service {
  /** `namespace/hostname`: its xDS name and key. */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly hostname: string;
  readonly vips: readonly NetworkAddress[];
  readonly ports: PortMap;
}
