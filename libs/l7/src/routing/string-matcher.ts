import { RE2JS } from 're2js';
import type { l7V1 } from '@ambit/xds';

/** A compiled StringMatch: exact, prefix or RE2 regex over the whole value. */
export type StringMatcher = (value: string) => boolean;

/** Where a compile problem is: the caller turns it into an InvalidL7ResourceError naming the field. */
export type Invalid = (field: string, reason: string) => never;

/**
 * Compiles a StringMatch. Regexes are RE2 (linear time, no backtracking), so that a
 * hostile pattern in a VirtualService cannot stall the proxy; `ignoreCase` applies to
 * exact and prefix matches only, as Istio's ignoreUriCase does.
 */
export function compileStringMatch(match: l7V1.StringMatch, field: string, invalid: Invalid, ignoreCase = false): StringMatcher {
  switch (match.matchType) {
    case 'exact': {
      if (!ignoreCase) return (value) => value === match.exact;
      const want = match.exact.toLowerCase();
      return (value) => value.length === want.length && value.toLowerCase() === want;
    }
    case 'prefix': {
      if (!ignoreCase) return (value) => value.startsWith(match.prefix);
      const want = match.prefix.toLowerCase();
      return (value) => value.slice(0, want.length).toLowerCase() === want;
    }
    case 'regex': {
      const regex = compileRegex(match.regex, `${field}.regex`, invalid);
      return (value) => regex.testExact(value);
    }
    default:
      return invalid(field, 'has no match type (exact, prefix or regex)');
  }
}

/** An RE2 pattern, or `invalid` naming the field and RE2's complaint. */
export function compileRegex(pattern: string, field: string, invalid: Invalid): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    return invalid(field, `${JSON.stringify(pattern)} is not a valid RE2 regex: ${error instanceof Error ? error.message : String(error)}`);
  }
}
