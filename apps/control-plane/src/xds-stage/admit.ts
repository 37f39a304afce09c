import type { AdmitProxy } from '@ambit/xds';
import type { CallerAuthentication } from '../authn/index.js';

/**
 * Admits a proxy that proves who it is — a node by its bearer token, a workload by its
 * verified mesh certificate (see CallerAuthentication) — and lets it see every resource:
 * a ztunnel needs the whole mesh, and certificate callers keep what they saw before
 * tokens existed. Refusals keep their status: UNAUTHENTICATED for a missing, unknown
 * or expired token, PERMISSION_DENIED for a certificate outside the trust domain.
 */
export function admitCallers(authentication: CallerAuthentication): AdmitProxy {
  return async (proxy, { bearerToken, signal }) => {
    await authentication.authenticate({ peer: proxy.peer, bearerToken }, signal);
    return undefined;
  };
}
