// The waypoint's state: workloads and services from Address, route tables and clusters; written by the xDS adapter alone.
export { MeshState } from './mesh-state.js';
export type { L7Check, L7Resources, MeshView, StateUpdate } from './mesh-state.js';
export { canonicalIp } from './ip.js';
export { InvalidResourceError, UpdateRejectedError } from './errors.js';
export type * from './types.js';
