import { securityV1 } from '@ambit/xds';
import { enforcedByZtunnel, httpAttributes, type AuthorizationPolicyEntry, type AuthorizationRule } from '@ambit/mesh-model';
import { cidrBlock } from './ip-bytes.js';
import { stringMatch } from './string-match.js';

type Match = securityV1.Match;
type Rules = securityV1.Rules;

const EMPTY_MATCH: Match = {
  namespaces: [],
  notNamespaces: [],
  principals: [],
  notPrincipals: [],
  sourceIps: [],
  notSourceIps: [],
  destinationIps: [],
  destinationPorts: [],
  notDestinationIps: [],
  notDestinationPorts: [],
};

/** A Match with the given fields set and the others empty. */
export function match(fields: Partial<Match>): Match {
  return { ...EMPTY_MATCH, ...fields };
}

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
  const action = policy.action === 'DENY' ? securityV1.Action.DENY : policy.action === 'AUDIT' ? securityV1.Action.AUDIT : securityV1.Action.ALLOW;
  const groups: securityV1.Group[] = [];
  for (const rule of policy.rules) {
    const rules = rulesOf(rule, policy.namespace);
    if (httpAttributes(rule).length > 0 && action !== securityV1.Action.DENY) continue;
    groups.push({ rules });
  }
  return { name: policy.name, namespace: policy.namespace, scope, action, groups, dryRun: policy.dryRun };
}

/** One rule: its `to` matches, then its `from` matches, then one Rules per `when` condition, all AND-ed. */
function rulesOf(rule: AuthorizationRule, namespace: string): Rules[] {
  const rules: Rules[] = [];
  const to = (rule.to ?? []).map(({ operation: op }) => match({ destinationPorts: ports(op?.ports), notDestinationPorts: ports(op?.notPorts) }));
  const from = (rule.from ?? []).map(({ source: src }) =>
    match({
      sourceIps: cidrs(src?.ipBlocks),
      notSourceIps: cidrs(src?.notIpBlocks),
      namespaces: strings(src?.namespaces),
      notNamespaces: strings(src?.notNamespaces),
      principals: [...strings(src?.principals), ...serviceAccounts(src?.serviceAccounts, namespace)],
      notPrincipals: [...strings(src?.notPrincipals), ...serviceAccounts(src?.notServiceAccounts, namespace)],
    }),
  );
  if (to.length > 0) rules.push({ matches: to });
  if (from.length > 0) rules.push({ matches: from });
  for (const when of rule.when ?? []) rules.push({ matches: [whenMatch(when.key, when.values ?? [], when.notValues ?? [])] });
  return rules;
}

/** A `when` condition on an L4 key; any other key gives an empty match (its HTTP part is dropped). */
function whenMatch(key: string, values: readonly string[], notValues: readonly string[]): Match {
  switch (key) {
    case 'source.namespace':
      return match({ namespaces: strings(values), notNamespaces: strings(notValues) });
    case 'source.principal':
      return match({ principals: strings(values), notPrincipals: strings(notValues) });
    case 'source.ip':
      return match({ sourceIps: cidrs(values), notSourceIps: cidrs(notValues) });
    case 'destination.ip':
      return match({ destinationIps: cidrs(values), notDestinationIps: cidrs(notValues) });
    case 'destination.port':
      return match({ destinationPorts: ports(values), notDestinationPorts: ports(notValues) });
    default:
      return EMPTY_MATCH;
  }
}

function strings(values: readonly string[] | undefined): securityV1.StringMatch[] {
  return (values ?? []).map(stringMatch);
}

/**
 * `serviceAccounts` (`name` in the policy's namespace, or `namespace/name`) as a
 * principal suffix `/ns/<namespace>/sa/<name>`. Istio's newer workload API has a
 * dedicated match that ignores the trust domain; a suffix does the same, because no
 * trust domain, namespace or account name contains a "/".
 */
function serviceAccounts(values: readonly string[] | undefined, namespace: string): securityV1.StringMatch[] {
  return (values ?? []).map((value) => {
    const slash = value.indexOf('/');
    const [ns, sa] = slash < 0 ? [namespace, value] : [value.slice(0, slash), value.slice(slash + 1)];
    return { matchType: 'suffix', suffix: `/ns/${ns}/sa/${sa}` };
  });
}

/** Istio's stringToPort: decimal ports up to 65535; anything else is skipped. */
function ports(values: readonly string[] | undefined): number[] {
  return (values ?? []).filter((v) => /^\d+$/.test(v) && Number(v) <= 65535).map(Number);
}

/** Istio's stringToIP: IPs (full-length prefixes) and CIDRs; anything else is skipped. */
function cidrs(values: readonly string[] | undefined): securityV1.CidrBlock[] {
  return (values ?? []).flatMap((v) => {
    const block = cidrBlock(v);
    return block === undefined ? [] : [block];
  });
}
