// The translator's L7 stage: VirtualService, DestinationRule and Gateway into the
// RouteTables, Clusters and Listeners of waypoints and gateways.
export { L7Translator } from './l7-translator.js';
export type { L7Delta, L7Outputs } from './l7-translator.js';
export { clusterName, gatewayRoutePrefix, listenerName, waypointRoutePrefix } from './names.js';
