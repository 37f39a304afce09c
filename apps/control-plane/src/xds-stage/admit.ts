import type { AdmitProxy, ProxyInfo } from '@ambit/xds';
import { NodeClaimError, type Caller, type CallerAuthentication } from '../authn/index.js';

/**
 * Admits a proxy that proves who it is — a node by its bearer token, a workload by its
 * verified mesh certificate (see CallerAuthentication) — and lets it see every resource:
 * a ztunnel needs the whole mesh, and certificate callers keep what they saw before
 * tokens existed. Refusals keep their status: UNAUTHENTICATED for a missing, unknown
 * or expired token, PERMISSION_DENIED for a certificate outside the trust domain or a
 * node whose xDS metadata names another node than its token proves.
 */
export function admitCallers(authentication: CallerAuthentication): AdmitProxy {
  return async (proxy, { bearerToken, signal }) => {
    const caller = await authentication.authenticate({ peer: proxy.peer, bearerToken }, signal);
    checkNodeClaim(proxy, caller);
    return undefined;
  };
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
