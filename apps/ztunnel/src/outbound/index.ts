// The outbound path: naming → destination → plan → connector → relay.
export type { Connector } from './connector.js';
export { DestinationResolver } from './destination.js';
export type { DestinationResolverOptions, SystemLookup } from './destination.js';
export {
  ConnectError,
  HboneTunnelError,
  HboneUnavailableError,
  NoHealthyEndpointError,
  NoWorkloadAddressError,
  OutboundError,
  UnknownServicePortError,
  UnresolvedHostError,
  WaypointUnavailableError,
} from './errors.js';
export type { OutboundFailure } from './errors.js';
export { RoundRobinPicker } from './load-balancer.js';
export type { Candidate, EndpointPicker } from './load-balancer.js';
export { resolveMeshName } from './mesh-names.js';
export type { MeshName } from './mesh-names.js';
export { outboundPeers } from './peers.js';
export { formatTarget } from './plan.js';
export type { OutboundPlan, OutboundTarget, SocketTarget } from './plan.js';
export { HBONE_PORT, OutboundPlanner } from './planner.js';
export type { PlannerOptions } from './planner.js';
export { relay } from './relay.js';
export type { RelayResult } from './relay.js';
export { HboneConnector } from './hbone-connector.js';
export { dialTcp, TcpConnector } from './tcp-connector.js';
export type { DialOrigin, TcpConnectorOptions } from './tcp-connector.js';
