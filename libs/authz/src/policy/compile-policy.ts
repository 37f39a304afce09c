import { securityV1 } from '@ambit/xds';
import { InvalidPolicyError } from '../errors.js';
import { CompiledMatch } from './compiled-match.js';
import { ACTION_NAMES, CompiledPolicy, type CompiledGroup } from './compiled-policy.js';

const SCOPES: ReadonlySet<number> = new Set(Object.values(securityV1.Scope));

/**
 * Compiles an Authorization received under xDS name `key` at `version`. Throws
 * InvalidPolicyError naming the policy and the field when the resource is malformed:
 * a name that is not `key`, an unknown scope or action, a CIDR that is not 4 or 16
 * bytes or whose prefix is too long, a port above 65535, a string match without a type.
 *
 * Ztunnel (src/rbac.rs) rejects unknown enums too, but silently drops bad CIDRs, which
 * can widen a `not_` field; Ambit rejects the whole policy instead.
 */
export function compilePolicy(key: string, version: string, resource: securityV1.Authorization): CompiledPolicy {
  const fail = (field: string, reason: string): never => {
    throw new InvalidPolicyError(key, field, reason);
  };
  if (resource.name === '' || resource.namespace === '') fail(resource.name === '' ? 'name' : 'namespace', 'is empty');
  if (key !== `${resource.namespace}/${resource.name}`) fail('name', `${resource.namespace}/${resource.name} is not the resource name ${key}`);
  if (!SCOPES.has(resource.scope)) fail('scope', `${resource.scope} is not a scope (GLOBAL, NAMESPACE, WORKLOAD_SELECTOR)`);
  const action = ACTION_NAMES[resource.action] ?? fail('action', `${resource.action} is not an action (ALLOW, DENY, AUDIT)`);
  // An empty match stands for dropped HTTP attributes: matching everything only ever
  // widens a DENY (see CompiledMatch.compile).
  const ifEmpty = action === 'DENY';
  const groups: CompiledGroup[] = resource.groups.map((group, g) =>
    group.rules.map((rules, r) =>
      rules.matches.map((match, m) => CompiledMatch.compile(match, ifEmpty, (field, reason) => fail(`groups[${g}].rules[${r}].matches[${m}].${field}`, reason))),
    ),
  );
  return new CompiledPolicy({ key, version, namespace: resource.namespace, scope: resource.scope, action, dryRun: resource.dryRun, groups, error: undefined });
}

/**
 * The stand-in for a policy that could not be compiled, so that a bad resource never
 * opens access (docs/authorization.md#fail-closed):
 * - a DENY, or a policy whose action is unknown, denies every connection in its scope;
 * - an ALLOW matches nothing but still applies, so only other ALLOW policies admit;
 * - an AUDIT reports nothing; a dry-run policy, of any action, has no effect.
 * An unknown scope applies only where a workload names the policy.
 */
export function failClosedPolicy(key: string, version: string, resource: securityV1.Authorization, error: InvalidPolicyError): CompiledPolicy {
  const action = ACTION_NAMES[resource.action] ?? 'DENY';
  const scope = SCOPES.has(resource.scope) ? resource.scope : securityV1.Scope.WORKLOAD_SELECTOR;
  const denies = action === 'DENY' && !resource.dryRun;
  // One rule with no clauses matches every connection.
  const groups: CompiledGroup[] = denies ? [[]] : [];
  return new CompiledPolicy({ key, version, namespace: resource.namespace, scope, action, dryRun: resource.dryRun, groups, error });
}
