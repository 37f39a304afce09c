import { securityV1 } from '@ambit/xds';
import { inheritedMode, portExceptions, type PeerAuthenticationView } from '@ambit/mesh-model';
import { match } from './authorization-rules.js';
import { CONVERTED_PEER_AUTHENTICATION_PREFIX, STATIC_STRICT_POLICY_NAME } from './names.js';

/** Denies any connection without a peer identity, i.e. any plaintext connection. */
const NO_PEER_IDENTITY: securityV1.Rules = { matches: [match({ notPrincipals: [{ matchType: 'presence', presence: true }] })] };

/**
 * Istio's static STRICT policy (ambient PolicyCollections' DefaultPolicy): one DENY for
 * connections without mTLS, which workloads under an effective STRICT mode reference.
 */
export function staticStrictAuthorization(rootNamespace: string): securityV1.Authorization {
  return {
    name: STATIC_STRICT_POLICY_NAME,
    namespace: rootNamespace,
    scope: securityV1.Scope.WORKLOAD_SELECTOR,
    action: securityV1.Action.DENY,
    groups: [{ rules: [NO_PEER_IDENTITY] }],
    dryRun: false,
    services: [],
  };
}

/**
 * A workload PeerAuthentication with port-level mTLS as one DENY authorization, merged
 * with its inherited default (see effectivePeerAuthentication): under a STRICT parent,
 * deny connections without a peer identity except on the PERMISSIVE/DISABLE ports; under
 * a lax parent, deny them on the STRICT ports only. Undefined when ztunnel needs none
 * (no selector, root namespace, or no port departing from the inherited mode).
 */
export function convertPeerAuthentication(view: PeerAuthenticationView, rootNamespace: string): securityV1.Authorization | undefined {
  const { policy, namespace: ns, mesh } = view;
  if (policy.namespace === rootNamespace || policy.selector === undefined) return undefined;
  const parentStrict = inheritedMode([policy.mode, ns?.mode, mesh?.mode]) === 'STRICT';
  const ports = portExceptions(policy, parentStrict);
  if (ports.length === 0) return undefined;
  // Shaped as istiod shapes it: under a STRICT parent one group (no identity AND not an
  // excepted port); under a lax parent one group per STRICT port (groups are OR-ed).
  const groups: securityV1.Group[] = parentStrict
    ? [{ rules: [NO_PEER_IDENTITY, { matches: [match({ notDestinationPorts: ports })] }] }]
    : ports.map((port) => ({ rules: [{ matches: [match({ notPrincipals: [{ matchType: 'presence', presence: true }], destinationPorts: [port] })] }] }));
  return {
    name: CONVERTED_PEER_AUTHENTICATION_PREFIX + policy.name,
    namespace: policy.namespace,
    scope: securityV1.Scope.WORKLOAD_SELECTOR,
    action: securityV1.Action.DENY,
    groups,
    dryRun: false,
    services: [],
  };
}
