import type { AuthorizationRule } from './policy.js';

/** The `when` keys ztunnel can evaluate on a connection (Istio's l4WhenAttributes). */
export const L4_CONDITION_KEYS: ReadonlySet<string> = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

const HTTP_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const HTTP_SOURCE_FIELDS = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const;

/**
 * The attributes of a rule that only an HTTP proxy can see (Istio's httpOperations,
 * httpSources and non-L4 `when` keys), by field or key name, sorted and unique. Empty
 * when ztunnel can enforce the whole rule.
 */
export function httpAttributes(rule: AuthorizationRule): string[] {
  const found = new Set<string>();
  for (const to of rule.to ?? []) {
    for (const field of HTTP_OPERATION_FIELDS) if ((to.operation?.[field]?.length ?? 0) > 0) found.add(field);
  }
  for (const from of rule.from ?? []) {
    for (const field of HTTP_SOURCE_FIELDS) if ((from.source?.[field]?.length ?? 0) > 0) found.add(field);
  }
  for (const when of rule.when ?? []) if (!L4_CONDITION_KEYS.has(when.key)) found.add(when.key);
  return [...found].sort();
}
