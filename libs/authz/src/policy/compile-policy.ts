import { securityV1 } from '@ambit/xds';
import { InvalidPolicyError } from '../errors.js';
import { CompiledMatch } from './compiled-match.js';
import { ACTION_NAMES, CompiledPolicy, type CompiledGroup, type CompiledPolicyParts } from './compiled-policy.js';

const SCOPES: ReadonlySet<number> = new Set(Object.values(securityV1.Scope));

/**
 * Compiles an Authorization received under xDS name `key` at `version`. Throws
 * InvalidPolicyError naming the policy and the field when the resource is malformed:
 * a key that is not `namespace/name` (for ztunnel) or does not end with it (a
 * waypoint's, under its prefix), an unknown scope or action, a SERVICE scope without
 * services, a CIDR that is not 4 or 16 bytes or whose prefix is too long, a port above
 * 65535, a string match without a type, a keyed match without a key or values.
 *
 * Ztunnel (src/rbac.rs) rejects unknown enums too, but silently drops bad CIDRs, which
 * can widen a `not_` field; Ambit rejects the whole policy instead.
 */
export function compilePolicy(key: string, version: string, resource: securityV1.Authorization): CompiledPolicy {
  const fail = (field: string, reason: string): never => {
    throw new InvalidPolicyError(key, field, reason);
  };
  if (resource.name === '' || resource.namespace === '') fail(resource.name === '' ? 'name' : 'namespace', 'is empty');
  const policy = `${resource.namespace}/${resource.name}`;
  if (key !== policy && !key.endsWith(`/${policy}`)) fail('name', `${policy} is not the resource name ${key}`);
  if (!SCOPES.has(resource.scope)) fail('scope', `${resource.scope} is not a scope (GLOBAL, NAMESPACE, WORKLOAD_SELECTOR, WAYPOINT, SERVICE)`);
  if (resource.scope === securityV1.Scope.SERVICE && resource.services.length === 0) fail('services', 'is empty, so the SERVICE-scoped policy applies to nothing');
  const action = ACTION_NAMES[resource.action] ?? fail('action', `${resource.action} is not an action (ALLOW, DENY, AUDIT)`);
  // An empty match stands for dropped HTTP attributes: matching everything only ever
  // widens a DENY (see CompiledMatch.compile).
  const ifEmpty = action === 'DENY';
  const groups: CompiledGroup[] = resource.groups.map((group, g) =>
    group.rules.map((rules, r) =>
      rules.matches.map((match, m) => CompiledMatch.compile(match, ifEmpty, (field, reason) => fail(`groups[${g}].rules[${r}].matches[${m}].${field}`, reason))),
    ),
  );
  return new CompiledPolicy({ key, version, ...identityOf(resource), action, dryRun: resource.dryRun, groups, error: undefined });
}

/**
 * The stand-in for a policy that could not be compiled, so that a bad resource never
 * opens access (docs/authorization.md#fail-closed):
 * - a DENY, or a policy whose action is unknown, denies every connection in its scope;
 * - an ALLOW matches nothing but still applies, so only other ALLOW policies admit;
 * - an AUDIT reports nothing; a dry-run policy, of any action, has no effect.
 * An unknown scope (or a SERVICE scope without services) applies, at ztunnel, only where
 * a workload names the policy; at a waypoint (a key under `waypoint/` or `waypoints/`)
 * to every request the waypoint serves.
 */
export function failClosedPolicy(key: string, version: string, resource: securityV1.Authorization, error: InvalidPolicyError): CompiledPolicy {
  const action = ACTION_NAMES[resource.action] ?? 'DENY';
  const known = SCOPES.has(resource.scope) && (resource.scope !== securityV1.Scope.SERVICE || resource.services.length > 0);
  const scope = known ? resource.scope : atWaypoint(key) ? securityV1.Scope.WAYPOINT : securityV1.Scope.WORKLOAD_SELECTOR;
  const denies = action === 'DENY' && !resource.dryRun;
  // One rule with no clauses matches every connection.
  const groups: CompiledGroup[] = denies ? [[]] : [];
  return new CompiledPolicy({ key, version, ...identityOf(resource), scope, action, dryRun: resource.dryRun, groups, error });
}

/** Where a policy comes from and where it applies. */
function identityOf(resource: securityV1.Authorization): Pick<CompiledPolicyParts, 'policy' | 'namespace' | 'scope' | 'services'> {
  return { policy: `${resource.namespace}/${resource.name}`, namespace: resource.namespace, scope: resource.scope, services: resource.services };
}

/** Whether an xDS name is a waypoint's (the control plane's `waypoint/<ns>/<name>/…` and `waypoints/…`). */
function atWaypoint(key: string): boolean {
  return key.startsWith('waypoint/') || key.startsWith('waypoints/');
}
