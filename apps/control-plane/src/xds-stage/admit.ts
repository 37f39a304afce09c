import type { AdmitProxy, ProxyInfo, ResourceFilter } from '@ambit/xds';
import { NodeClaimError, type Caller, type CallerAuthentication } from '../authn/index.js';
import type { ProxyScope } from './l7-visibility.js';

/** The xDS node metadata key naming a proxy's role, and the roles that get L7 resources. */
export const ROLE_METADATA = 'role';
export const WAYPOINT_ROLE = 'waypoint';
export const GATEWAY_ROLE = 'gateway';

/**
 * Admits a proxy that proves who it is — a node by its bearer token, a workload by its
 * verified mesh certificate (see CallerAuthentication) — and gives it the filter of its
 * scope (`filterFor`). Refusals keep their status: UNAUTHENTICATED for a missing,
 * unknown or expired token, PERMISSION_DENIED for a certificate outside the trust
 * domain or a node whose xDS metadata names another node than its token proves.
 */
export function admitCallers(authentication: CallerAuthentication, filterFor: (proxy: ProxyInfo, scope: ProxyScope) => ResourceFilter): AdmitProxy {
  return async (proxy, { bearerToken, signal }) => {
    const caller = await authentication.authenticate({ peer: proxy.peer, bearerToken }, signal);
    checkNodeClaim(proxy, caller);
    return filterFor(proxy, proxyScope(proxy, caller));
  };
}

/**
 * What a proxy is, from what it proved and the role it states. A node (token) is a
 * ztunnel. A certificate caller whose metadata says `role: waypoint` is the waypoint
 * named after its service account in its namespace (Istio deploys a waypoint Gateway
 * `<ns>/<name>` with service account `<name>`), so the role only chooses among what the
 * certificate proves: a workload cannot obtain another waypoint's routes. `role:
 * gateway` is an ingress gateway running as its identity. Anything else is treated as
 * a ztunnel: L4 resources only.
 */
export function proxyScope(proxy: ProxyInfo, caller: Caller): ProxyScope {
  if (caller.kind === 'node') return { kind: 'ztunnel' };
  const { namespace, serviceAccount } = caller.identity;
  switch (proxy.node.metadata[ROLE_METADATA]) {
    case WAYPOINT_ROLE:
      return { kind: 'waypoint', waypoint: `${namespace}/${serviceAccount}` };
    case GATEWAY_ROLE:
      return { kind: 'gateway', namespace, serviceAccount };
    default:
      return { kind: 'ztunnel' };
  }
}

/**
 * A node's token is for one node; the ztunnel's node metadata (`NODE_NAME`, which
 * decides which workloads it treats as local) must name that node, or a stolen token of
 * node A would let a proxy present itself as node B (as istiod checks a ztunnel's
 * claimed node against its token's bound node).
 */
function checkNodeClaim(proxy: ProxyInfo, caller: Caller): void {
  if (caller.kind !== 'node') return;
  const claimed = proxy.node.metadata['node'];
  if (claimed !== undefined && claimed !== caller.node) throw new NodeClaimError(typeof claimed === 'string' ? claimed : JSON.stringify(claimed), caller.node);
}
