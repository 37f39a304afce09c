// Helpers for tests that wait on real sockets and processes; every wait is bounded.
export { AsyncQueue } from './async-queue.js';
export { LineQueue } from './line-queue.js';
export { thrown } from './thrown.js';
export { eventually, withTimeout } from './wait.js';
// xDS Address and Authorization resources as the control plane sends them.
export { ipBytes, policyResource, serviceResource, workloadResource } from './xds-resources.js';
export type { ServiceSpec, WorkloadSpec } from './xds-resources.js';
// The control plane's built binary on a temporary mesh directory with node tokens.
export { ControlPlaneProcess, createMeshDir, TOKEN_NODES } from './control-plane/control-plane-process.js';
export type { MeshDir } from './control-plane/control-plane-process.js';
export { podYaml } from './control-plane/mesh-yaml.js';
export type { PodOptions } from './control-plane/mesh-yaml.js';
