/**
 * xDS resource names of what the translator emits, as Istio names them so that
 * `istioctl`-style tooling and ztunnel's own conventions carry over.
 */

/** Istio's static STRICT policy, sent (in the root namespace) while any PeerAuthentication exists. */
export const STATIC_STRICT_POLICY_NAME = 'istio_converted_static_strict';

/** The prefix of a PeerAuthentication's conversion; `_` cannot occur in Kubernetes names, so it never collides. */
export const CONVERTED_PEER_AUTHENTICATION_PREFIX = 'converted_peer_authentication_';

/** `namespace/name`, the xDS name of every Authorization ztunnel gets. */
export function authorizationName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function convertedPeerAuthenticationName(namespace: string, name: string): string {
  return authorizationName(namespace, CONVERTED_PEER_AUTHENTICATION_PREFIX + name);
}

export function staticStrictPolicyName(rootNamespace: string): string {
  return authorizationName(rootNamespace, STATIC_STRICT_POLICY_NAME);
}

/**
 * The prefix of the Authorizations of one waypoint (`namespace/name`): the same as its
 * route tables', so that the per-proxy filter decides from the name alone.
 */
export function waypointAuthorizationPrefix(waypoint: string): string {
  return `waypoint/${waypoint}/`;
}

/** The prefix of the Authorizations every waypoint gets (attached to the istio-waypoint GatewayClass). */
export const ALL_WAYPOINTS_AUTHORIZATION_PREFIX = 'waypoints/';

/** Whether an Authorization is a waypoint's, never ztunnel's. */
export function isWaypointAuthorization(name: string): boolean {
  return name.startsWith('waypoint/') || name.startsWith(ALL_WAYPOINTS_AUTHORIZATION_PREFIX);
}
