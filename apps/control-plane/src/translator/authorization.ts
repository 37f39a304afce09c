import { securityV1 } from '@ambit/xds';
import { enforcedByZtunnel, httpAttributes, type AuthorizationPolicyEntry } from '@ambit/mesh-model';
import { convertRule } from './authorization-rules.js';

/**
 * An AuthorizationPolicy as ztunnel enforces it (Istio's convertAuthorizationPolicy and
 * handleRule, pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go), or
 * undefined for one ztunnel never sees (targetRef(s): waypoints enforce it; CUSTOM).
 *
 * A rule with attributes only HTTP can see: in an ALLOW policy it can never match at
 * L4, so it is dropped (fewer connections allowed); in a DENY policy those attributes
 * are dropped and the rest kept, so it matches more connections (more denied). Either
 * way ztunnel errs on the side of refusing. AUDIT (which Istio does not send to
 * ztunnel at all) is treated like ALLOW: a rule it cannot evaluate is not reported.
 */
export function authorizationOf(policy: AuthorizationPolicyEntry, rootNamespace: string): securityV1.Authorization | undefined {
  if (!enforcedByZtunnel(policy)) return undefined;
  const scope =
    policy.selector !== undefined ? securityV1.Scope.WORKLOAD_SELECTOR : policy.namespace === rootNamespace ? securityV1.Scope.GLOBAL : securityV1.Scope.NAMESPACE;
  const action = actionOf(policy);
  const groups: securityV1.Group[] = [];
  for (const rule of policy.rules) {
    const { rules } = convertRule(rule, policy.namespace, 'l4');
    if (httpAttributes(rule).length > 0 && action !== securityV1.Action.DENY) continue;
    groups.push({ rules });
  }
  return { name: policy.name, namespace: policy.namespace, scope, action, groups, dryRun: policy.dryRun, services: [] };
}

/** The wire action of a policy that is not CUSTOM. */
export function actionOf(policy: AuthorizationPolicyEntry): securityV1.Action {
  return policy.action === 'DENY' ? securityV1.Action.DENY : policy.action === 'AUDIT' ? securityV1.Action.AUDIT : securityV1.Action.ALLOW;
}
