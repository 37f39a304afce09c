import type { RE2JS } from 're2js';
import type { l7V1 } from '@ambit/xds';
import { compileRegex, type Invalid } from './string-matcher.js';

/** How much of the path a route's match i "matched": a prefix length, or the whole path. */
export type MatchedUri = { readonly kind: 'prefix'; readonly length: number } | { readonly kind: 'whole' };

/** A compiled Rewrite: the new path for the match that took the request, and the new authority. */
export interface PathRewrite {
  /** `path` has no query; the result has none either. */
  path(path: string, matchIndex: number): string;
  readonly authority: string | undefined;
}

/**
 * What each match rewrites with `rewrite.uri`, as Istio sets Envoy's routes: a prefix
 * match (or no uri match at all, Envoy's prefix "/") has its prefix replaced; an exact
 * or regex match has the whole path replaced.
 */
export function matchedUris(matches: readonly l7V1.RouteMatch[]): MatchedUri[] {
  if (matches.length === 0) return [{ kind: 'prefix', length: 1 }];
  return matches.map((m) => {
    if (m.uri === null || m.uri.matchType === undefined) return { kind: 'prefix', length: 1 };
    return m.uri.matchType === 'prefix' ? { kind: 'prefix', length: m.uri.prefix.length } : { kind: 'whole' };
  });
}

export function compileRewrite(rewrite: l7V1.Rewrite | null, uris: readonly MatchedUri[], field: string, invalid: Invalid): PathRewrite | undefined {
  if (rewrite === null) return undefined;
  const authority = rewrite.authority === '' ? undefined : rewrite.authority;
  if (rewrite.uriRegex !== null) {
    const regex = compileRegex(rewrite.uriRegex.pattern, `${field}.uriRegex.pattern`, invalid);
    const substitution = rewrite.uriRegex.substitution;
    return { authority, path: (path) => regexReplaceAll(regex, path, substitution) };
  }
  if (rewrite.uri !== '') {
    const uri = rewrite.uri;
    return {
      authority,
      path: (path, matchIndex) => {
        const matched = uris[matchIndex] ?? { kind: 'whole' };
        return matched.kind === 'whole' ? uri : uri + path.slice(matched.length);
      },
    };
  }
  return authority === undefined ? undefined : { authority, path: (path) => path };
}

/** Every match of `regex` in `input` replaced by `substitution`, whose `\N` are groups (RE2's GlobalReplace, as Envoy's regex_rewrite). */
export function regexReplaceAll(regex: RE2JS, input: string, substitution: string): string {
  return regex.matcher(input).replaceAll((...args: unknown[]) =>
    substitution.replace(/\\(\d)|\\\\/g, (text, group: string | undefined) => {
      if (group === undefined) return '\\';
      const value = args[Number(group)];
      return typeof value === 'string' ? value : '';
    }),
  );
}
