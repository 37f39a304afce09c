// A proxy's state: the shared workload state (libs/workload-state) from Address, route tables, clusters and a gateway's Listeners; written by the xDS adapter alone.
export { MeshState } from './mesh-state.js';
export type { L7Check, L7Resources, MeshStateOptions, MeshView } from './mesh-state.js';
export { GATEWAY_ROUTE_TABLES, validateCluster, validateListener, WAYPOINT_ROUTE_TABLES } from './l7-resources.js';
export type { RouteTableRules } from './l7-resources.js';
export { canonicalIp } from '@ambit/workload-state';
export type { GatewayAddress, Service, StateUpdate, Workload } from '@ambit/workload-state';
export { InvalidResourceError, UpdateRejectedError } from './errors.js';
