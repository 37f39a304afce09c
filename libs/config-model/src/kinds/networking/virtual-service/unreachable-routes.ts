import type * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { warn } from '../../../schema/object.js';
import type { HttpMatchRequestOutput } from './http-match.js';
import type { StringMatchOutput } from './string-match.js';

/**
 * Istio's analyzeUnreachable{HTTP,TCP,TLS}Rules: warnings, not errors, for routes and
 * matches that can never be used because an earlier route takes their requests. As in
 * Istio, only these cases are found: a second route without a match (only the last
 * may catch everything), a match equal to an earlier one (names aside), a route all of
 * whose matches are such duplicates, and an HTTP URI prefix match covered by an
 * earlier prefix match with the same other conditions.
 */
export function warnUnreachableRoutes(
  ctx: z.RefinementCtx,
  field: 'http' | 'tcp' | 'tls',
  routes: readonly { readonly match?: readonly object[] | undefined }[],
): void {
  const firstUse = new Map<string, number>();
  let catchAll: number | undefined;
  const prefixMatches: PrefixMatch[] = [];
  routes.forEach((route, i) => {
    const matches = route.match ?? [];
    if (matches.length === 0) {
      if (catchAll !== undefined) {
        warn(ctx, IssueCode.Conflict, `this route is never used: only the last route may have no match, and ${field}[${catchAll}] has none`, {
          path: [field, i],
          hint: 'every request reaches the earlier route without a match; add a match or remove this route',
        });
      }
      catchAll = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, j) => {
      const key = canonicalJson(match);
      const first = firstUse.get(key);
      if (first !== undefined) {
        duplicates++;
        warn(ctx, IssueCode.Conflict, `this match is never used: ${field}[${first}] has the same match`, { path: [field, i, 'match', j] });
        return;
      }
      firstUse.set(key, i);
      if (field === 'http') {
        const prefix = prefixMatch(match as HttpMatchRequestOutput, i, j);
        if (prefix !== undefined) prefixMatches.push(prefix);
      }
    });
    if (duplicates === matches.length) {
      warn(ctx, IssueCode.Conflict, 'this route is never used: earlier routes have all of its matches', { path: [field, i] });
    }
  });
  prefixMatches.forEach((earlier, a) => {
    for (const later of prefixMatches.slice(a + 1)) {
      if (later.prefix !== earlier.prefix && covers(earlier, later)) {
        warn(
          ctx,
          IssueCode.Conflict,
          `this match is never used: the prefix "${later.prefix}" falls under the prefix "${earlier.prefix}" of http[${earlier.route}].match[${earlier.match}], with the same other conditions`,
          { path: ['http', later.route, 'match', later.match] },
        );
      }
    }
  });
}

/** A match as JSON with sorted keys and without its name, so that equal matches compare equal. */
function canonicalJson(match: object): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sorted(v)]),
    );
  };
  const { name: _name, ...rest } = match as { name?: unknown };
  return JSON.stringify(sorted(rest));
}

/** The conditions Istio compares for prefix matches (genMatchHTTPRoutes); other fields are ignored, as in Istio. */
interface PrefixMatch {
  readonly route: number;
  readonly match: number;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly queryParams: ReadonlyMap<string, string>;
  readonly withoutHeaders: ReadonlyMap<string, string>;
}

/** `exact:v` or `prefix:v`, or '' for a regex or empty match, as Istio's assignExactOrPrefix. */
function exactOrPrefix(m: StringMatchOutput | undefined): string {
  if (m?.exact !== undefined && m.exact !== '') return `exact:${m.exact}`;
  if (m?.prefix !== undefined && m.prefix !== '') return `prefix:${m.prefix}`;
  return '';
}

function prefixMatch(m: HttpMatchRequestOutput, route: number, match: number): PrefixMatch | undefined {
  const prefix = m.uri?.prefix ?? '';
  if (prefix === '') return undefined;
  const conditions = (map: Readonly<Record<string, StringMatchOutput>> | undefined) =>
    new Map(Object.entries(map ?? {}).map(([k, v]) => [k, exactOrPrefix(v)]));
  return {
    route,
    match,
    prefix,
    port: m.port ?? 0,
    // A match without a method is a GET, as Istio reads it here.
    method: exactOrPrefix(m.method) || 'exact:GET',
    authority: exactOrPrefix(m.authority),
    headers: conditions(m.headers),
    queryParams: conditions(m.queryParams),
    withoutHeaders: conditions(m.withoutHeaders),
  };
}

/** Istio's coveredValidation: whether `earlier` takes every request `later` matches. */
function covers(earlier: PrefixMatch, later: PrefixMatch): boolean {
  const within = (a: string, b: string): boolean => a === b || a.startsWith(b);
  const sameConditions = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean =>
    a.size === b.size && [...a].every(([k, v]) => b.has(k) && within(v, b.get(k)!));
  return (
    later.prefix.startsWith(earlier.prefix) &&
    later.port === earlier.port &&
    within(earlier.method, later.method) &&
    within(earlier.authority, later.authority) &&
    sameConditions(earlier.headers, later.headers) &&
    sameConditions(earlier.queryParams, later.queryParams) &&
    sameConditions(earlier.withoutHeaders, later.withoutHeaders)
  );
}
