// The waypoint's xDS clients: who it is (Address, with the node's token), then Address, RouteTable and Cluster (with its certificate).
export { discoverOwnWorkload, findOwnWorkload } from './own-workload.js';
export type { OwnWorkloadOptions } from './own-workload.js';
export { waypointMetadata, WAYPOINT_ROLE, XdsAdapter } from './xds-adapter.js';
export type { XdsAdapterOptions } from './xds-adapter.js';
