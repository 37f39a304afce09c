// A proxy's view of the mesh: workloads, services (with endpoints) and policies, validated from xDS, written by one writer, read through views.
export { WorkloadState } from './workload-state.js';
export type { StateUpdate, StateView } from './workload-state.js';
export type { WorkloadView } from './stores/workload-store.js';
export type { ServiceView } from './stores/service-store.js';
export type { PolicyView } from './stores/policy-store.js';
export { canonicalIp, ipFromBytes, networkAddressKey } from './ip.js';
export { DEFAULT_HBONE_PORT } from './convert/convert-common.js';
export { InvalidResourceError, UpdateRejectedError, validateAll } from './errors.js';
export type { StateErrors } from './errors.js';
export type * from './types.js';
// Istio's source and destination metric labels of a workload and a service.
export { peerLabels, SOURCE_LABEL_NAMES, UNKNOWN_LABEL } from './labels/peer-labels.js';
export type { DerivedSource, PeerLabelName, Peers } from './labels/peer-labels.js';
