// The wire resources of ztunnel's tests, from @ambit/test-support (shared with the waypoint and libs/workload-state).
export { ipBytes, policyResource as policy, serviceResource as service, workloadResource as workload } from '@ambit/test-support';
export type { ServiceSpec, WorkloadSpec } from '@ambit/test-support';
