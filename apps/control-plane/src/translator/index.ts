// The translator stage: the model in, xDS resources out: ztunnel's (Address, Authorization) and the L7 ones of waypoints and gateways (RouteTable, Cluster, Listener).
export { Translator, translate } from './translator.js';
export type { Recomputed, ResourceDelta, Translated, Translation, TranslationDelta } from './translator.js';
export { clusterName, gatewayRoutePrefix, listenerName, waypointRoutePrefix } from './l7/index.js';
export { TranslationError } from './errors.js';
export { CONVERTED_PEER_AUTHENTICATION_PREFIX, STATIC_STRICT_POLICY_NAME } from './names.js';
