// The translator stage: the model in, xDS resources out: ztunnel's (Address, Authorization) and the L7 ones of waypoints and gateways (RouteTable, Cluster, Listener, and waypoints' Authorizations).
export { Translator, translate } from './translator.js';
export type { Recomputed, ResourceDelta, Translated, Translation, TranslationDelta } from './translator.js';
export { clusterName, gatewayRoutePrefix, listenerName, waypointRoutePrefix } from './l7/index.js';
export { TranslationError } from './errors.js';
export { ALL_WAYPOINTS_AUTHORIZATION_PREFIX, CONVERTED_PEER_AUTHENTICATION_PREFIX, isWaypointAuthorization, STATIC_STRICT_POLICY_NAME, waypointAuthorizationPrefix } from './names.js';
