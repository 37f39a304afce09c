// The waypoint's state: the shared workload state (libs/workload-state) from Address, and route tables and clusters; written by the xDS adapter alone.
export { MeshState } from './mesh-state.js';
export type { L7Check, L7Resources, MeshView } from './mesh-state.js';
export { canonicalIp } from '@ambit/workload-state';
export type { Service, StateUpdate, Workload } from '@ambit/workload-state';
export { InvalidResourceError, UpdateRejectedError } from './errors.js';
