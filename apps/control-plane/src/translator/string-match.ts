import type { securityV1 } from '@ambit/xds';

/**
 * Istio's stringToMatch: `*` alone is presence (any non-empty value), a leading `*` a
 * suffix match, a trailing `*` a prefix match, anything else exact.
 */
export function stringMatch(pattern: string): securityV1.StringMatch {
  if (pattern === '*') return { matchType: 'presence', presence: true };
  if (pattern.startsWith('*')) return { matchType: 'suffix', suffix: pattern.slice(1) };
  if (pattern.endsWith('*')) return { matchType: 'prefix', prefix: pattern.slice(0, -1) };
  return { matchType: 'exact', exact: pattern };
}
