import type { l7V1 } from '@ambit/xds';
import { compileStringMatch, type Invalid, type StringMatcher } from './string-matcher.js';
import type { RequestView } from './request-view.js';

/** A compiled RouteMatch: every set field must match. */
export type RouteMatcher = (request: RequestView) => boolean;

/**
 * Compiles a route's matches (OR-ed). The result is the index of the first match that
 * accepts the request (0 when the route has none: it takes every request), -1 for no
 * match: a uri rewrite depends on which match matched, as Istio makes one Envoy route
 * per match.
 */
export function compileRouteMatches(matches: readonly l7V1.RouteMatch[], field: string, invalid: Invalid): (request: RequestView) => number {
  if (matches.length === 0) return () => 0;
  const compiled = matches.map((match, i) => compileRouteMatch(match, `${field}[${i}]`, invalid));
  return (request) => compiled.findIndex((matcher) => matcher(request));
}

function compileRouteMatch(match: l7V1.RouteMatch, field: string, invalid: Invalid): RouteMatcher {
  const checks: RouteMatcher[] = [];
  if (match.uri) {
    const uri = compileStringMatch(match.uri, `${field}.uri`, invalid, match.ignoreUriCase);
    checks.push((request) => uri(request.path));
  }
  if (match.scheme) {
    const scheme = compileStringMatch(match.scheme, `${field}.scheme`, invalid);
    checks.push((request) => scheme(request.scheme));
  }
  if (match.method) {
    const method = compileStringMatch(match.method, `${field}.method`, invalid);
    checks.push((request) => method(request.method));
  }
  if (match.authority) {
    const authority = compileStringMatch(match.authority, `${field}.authority`, invalid);
    checks.push((request) => authority(request.authority));
  }
  match.headers.forEach((header, i) => {
    const check = compileValueMatch(header, `${field}.headers[${i}]`, invalid);
    const name = header.name.toLowerCase();
    checks.push((request) => check(request.header(name)));
  });
  match.queryParams.forEach((param, i) => {
    const check = compileValueMatch(param, `${field}.queryParams[${i}]`, invalid);
    checks.push((request) => check(request.queryParam(param.name)));
  });
  const labels = Object.entries(match.sourceLabels);
  if (labels.length > 0) {
    checks.push((request) => {
      const have = request.source.labels;
      return have !== undefined && labels.every(([key, value]) => have[key] === value);
    });
  }
  if (match.sourceNamespace !== '') {
    const namespace = match.sourceNamespace;
    checks.push((request) => request.source.namespace === namespace);
  }
  return (request) => {
    for (const check of checks) if (!check(request)) return false;
    return true;
  };
}

/** A header or query-parameter match: presence when no value is given; `invert` for withoutHeaders. */
function compileValueMatch(match: l7V1.HeaderMatch, field: string, invalid: Invalid): (value: string | undefined) => boolean {
  if (match.name === '') invalid(`${field}.name`, 'is empty');
  const value: StringMatcher | undefined = match.value ? compileStringMatch(match.value, `${field}.value`, invalid) : undefined;
  const positive = (actual: string | undefined): boolean => actual !== undefined && (value === undefined || value(actual));
  return match.invert ? (actual) => !positive(actual) : positive;
}
