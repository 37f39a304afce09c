import { securityV1 } from '@ambit/xds';
import type { AuthorizationPolicyEntry, MeshModel, ResourceId } from '@ambit/mesh-model';
import { actionOf } from './authorization.js';
import { convertRule } from './authorization-rules.js';
import { ALL_WAYPOINTS_AUTHORIZATION_PREFIX, authorizationName, waypointAuthorizationPrefix } from './names.js';

/** Istio's waypoint GatewayClass: a policy attached to it from the root namespace applies at every waypoint. */
const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';

/** What a waypoint policy's outputs read, as dependency keys the translator watches. */
export const WAYPOINT_DEP = {
  /** A Service, ServiceEntry or Gateway a targetRef names (existence, hosts, class). */
  resource: (id: ResourceId): string => `res:${id.group}/${id.kind}/${id.namespace}/${id.name}`,
  /** A service (`namespace/hostname`): its waypoint binding. */
  service: (key: string): string => `svc:${key}`,
} as const;

/**
 * The Authorizations waypoints get for one AuthorizationPolicy, by xDS name; empty for
 * a policy without targetRefs (ztunnel's: Istio's waypoints never apply selector or
 * namespace-wide policies) and for CUSTOM (not supported). As Istio's
 * WorkloadPolicyMatcher.ShouldAttachPolicy attaches them:
 *
 * - a Gateway (the waypoint itself, in the policy namespace): every request it serves;
 * - the istio-waypoint GatewayClass, from the root namespace: every request of every waypoint;
 * - a Service or ServiceEntry of the policy namespace: the requests for it, at the
 *   waypoint it uses (none without one; the analysis reports that).
 *
 * Rules are converted in full (HTTP attributes included). A rule with an attribute the
 * waypoint cannot evaluate (a path template, an Envoy-internal `when` key) is dropped
 * from an ALLOW or AUDIT policy and kept without that attribute in a DENY one, so that
 * it always errs on the side of refusing, as ztunnel does with HTTP attributes.
 * `reads` receives the dependency keys (WAYPOINT_DEP) of what was looked up.
 */
export function waypointAuthorizations(model: MeshModel, policy: AuthorizationPolicyEntry, reads: Set<string>): Map<string, securityV1.Authorization> {
  const out = new Map<string, securityV1.Authorization>();
  if (!policy.targetsWaypoint || policy.action === 'CUSTOM') return out;
  const { whole, services, everyWaypoint } = resolve(model, policy, reads);
  const action = actionOf(policy);
  const groups: securityV1.Group[] = [];
  for (const rule of policy.rules) {
    const { rules, unsupported } = convertRule(rule, policy.namespace, 'l7');
    if (unsupported.length > 0 && action !== securityV1.Action.DENY) continue;
    groups.push({ rules });
  }
  const base = { name: policy.name, namespace: policy.namespace, action, groups, dryRun: policy.dryRun };
  const name = authorizationName(policy.namespace, policy.name);
  if (everyWaypoint) {
    out.set(ALL_WAYPOINTS_AUTHORIZATION_PREFIX + name, { ...base, scope: securityV1.Scope.WAYPOINT, services: [] });
    return out;
  }
  for (const waypoint of [...whole].sort()) out.set(waypointAuthorizationPrefix(waypoint) + name, { ...base, scope: securityV1.Scope.WAYPOINT, services: [] });
  for (const [waypoint, keys] of [...services].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (whole.has(waypoint)) continue;
    out.set(waypointAuthorizationPrefix(waypoint) + name, { ...base, scope: securityV1.Scope.SERVICE, services: [...keys].sort() });
  }
  return out;
}

interface Targets {
  /** Waypoints (`namespace/name`) the policy applies to as a whole. */
  readonly whole: Set<string>;
  /** Waypoint → the services (`namespace/hostname`) it serves that the policy targets. */
  readonly services: Map<string, Set<string>>;
  readonly everyWaypoint: boolean;
}

function resolve(model: MeshModel, policy: AuthorizationPolicyEntry, reads: Set<string>): Targets {
  const targets: Targets = { whole: new Set(), services: new Map(), everyWaypoint: false };
  let everyWaypoint = false;
  for (const { ref } of policy.targets) {
    const group = ref.group === undefined || ref.group === 'core' ? '' : ref.group;
    const id: ResourceId = { group, kind: ref.kind, namespace: policy.namespace, name: ref.name };
    if (ref.kind === 'GatewayClass') {
      everyWaypoint ||= ref.name === WAYPOINT_GATEWAY_CLASS && policy.namespace === model.settings.rootNamespace;
      continue;
    }
    if (ref.kind === 'Gateway') {
      // A networking.istio.io Gateway is an ingress gateway's, never a waypoint.
      if (group === 'networking.istio.io') continue;
      reads.add(WAYPOINT_DEP.resource({ ...id, group: 'gateway.networking.k8s.io' }));
      const key = `${policy.namespace}/${ref.name}`;
      if (model.view.waypoint(key) !== undefined) targets.whole.add(key);
      continue;
    }
    if (!((ref.kind === 'Service' && group === '') || (ref.kind === 'ServiceEntry' && group === 'networking.istio.io'))) continue;
    reads.add(WAYPOINT_DEP.resource(id));
    for (const host of model.config.hostsOf(id)) {
      const key = `${host.namespace}/${host.hostname}`;
      reads.add(WAYPOINT_DEP.service(key));
      const binding = model.service(key)?.waypoint;
      if (binding?.kind !== 'bound') continue;
      let keys = targets.services.get(binding.waypoint.key);
      if (keys === undefined) targets.services.set(binding.waypoint.key, (keys = new Set()));
      keys.add(key);
    }
  }
  return { ...targets, everyWaypoint };
}
