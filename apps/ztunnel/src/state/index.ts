// ztunnel's state: workloads, services (with endpoints) and policies, written by the xDS adapter alone, read through views (libs/workload-state).
export { ProxyState } from './proxy-state.js';
export { canonicalIp, DEFAULT_HBONE_PORT, networkAddressKey } from '@ambit/workload-state';
export type {
  Endpoint,
  GatewayAddress,
  HealthStatus,
  LoadBalancer,
  LoadBalancerMode,
  Locality,
  LocalityScope,
  NetworkAddress,
  Policy,
  PolicyView,
  PortMap,
  Service,
  ServiceView,
  StateUpdate,
  StateView,
  TunnelProtocol,
  Workload,
  WorkloadView,
} from '@ambit/workload-state';
export { InvalidResourceError, UpdateRejectedError } from './errors.js';
