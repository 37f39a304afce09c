// ztunnel's state: workloads, services (with endpoints) and policies, written by the xDS adapter alone, read through views.
export { ProxyState } from './proxy-state.js';
export type { StateUpdate, StateView } from './proxy-state.js';
export type { WorkloadView } from './workload-store.js';
export type { ServiceView } from './service-store.js';
export type { PolicyView } from './policy-store.js';
export { canonicalIp, networkAddressKey } from './ip.js';
export { DEFAULT_HBONE_PORT } from './convert-common.js';
export { InvalidResourceError, UpdateRejectedError } from './errors.js';
export type * from './types.js';
