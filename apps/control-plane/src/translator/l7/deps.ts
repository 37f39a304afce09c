/**
 * The inputs a compiled L7 resource may depend on, as dependency keys: when an input
 * changes, the resources that read its key are rebuilt (and only those).
 */
export const DEP = {
  /** One VirtualService, by `namespace/name` (delegates included). */
  virtualService: (key: string) => `vs:${key}`,
  /** Which mesh VirtualServices list this exact host. */
  meshHost: (host: string) => `vshost:${host}`,
  /** Which mesh VirtualServices have a wildcard host. */
  meshWildcard: 'vshost:*',
  /** Which VirtualServices are bound to this Gateway. */
  gatewayRoutes: (gateway: string) => `gwvs:${gateway}`,
  /** The Gateway itself. */
  gateway: (gateway: string) => `gw:${gateway}`,
  /** DestinationRules for this exact host. */
  rulesFor: (host: string) => `dr:${host}`,
  rulesWildcard: 'dr:*',
  /** The services that have this hostname (existence, ports, waypoint). */
  host: (hostname: string) => `host:${hostname}`,
  /** Which workloads serve this service (`namespace/hostname`). */
  members: (service: string) => `members:${service}`,
} as const;

/** The dependency keys one compiled resource read. */
export type Reads = Set<string>;

/** `namespace/name` of a resource. */
export const idOf = (resource: { readonly metadata: { readonly namespace: string; readonly name: string } }): string => `${resource.metadata.namespace}/${resource.metadata.name}`;
