import type { VirtualServiceResource } from '@ambit/config-model';
import type { l7V1, MessageInit } from '@ambit/xds';

type HttpRoute = NonNullable<VirtualServiceResource['spec']['http']>[number];
export type HttpMatch = NonNullable<HttpRoute['match']>[number];
type IstioStringMatch = NonNullable<HttpMatch['uri']>;

/** What a route table is compiled for: the traffic's port, and whether a match's `gateways` list admits it. */
export interface MatchContext {
  readonly port: number;
  /** Whether a match's own `gateways` (already non-empty) names this listener. */
  readonly boundTo: (gateways: readonly string[], vsNamespace: string) => boolean;
}

/**
 * An Istio match as the proxy evaluates it, or undefined when it can never apply here:
 * its own `gateways` leave this listener out (they override the VirtualService's) or
 * its `port` is another port. Both are decided now, so the proxy never sees them.
 */
export function routeMatch(match: HttpMatch, vsNamespace: string, context: MatchContext): MessageInit<l7V1.RouteMatch> | undefined {
  if ((match.gateways?.length ?? 0) > 0 && !context.boundTo(match.gateways!, vsNamespace)) return undefined;
  if (match.port !== undefined && match.port !== context.port) return undefined;
  return {
    uri: stringMatch(match.uri),
    scheme: stringMatch(match.scheme),
    method: stringMatch(match.method),
    authority: stringMatch(match.authority),
    headers: [...headerMatches(match.headers, false, true), ...headerMatches(match.withoutHeaders, true, true)],
    queryParams: headerMatches(match.queryParams, false, false),
    sourceLabels: sortedRecord(match.sourceLabels ?? {}),
    sourceNamespace: match.sourceNamespace ?? '',
    ignoreUriCase: match.ignoreUriCase ?? false,
  };
}

/** Istio's StringMatch; undefined for an empty one (`{}`), which matches presence where it is allowed. */
export function stringMatch(match: IstioStringMatch | undefined): MessageInit<l7V1.StringMatch> | undefined {
  if (match === undefined) return undefined;
  if (match.exact !== undefined) return { matchType: 'exact', exact: match.exact };
  if (match.prefix !== undefined) return { matchType: 'prefix', prefix: match.prefix };
  if (match.regex !== undefined) return { matchType: 'regex', regex: match.regex };
  return undefined;
}

/**
 * Header (or query parameter) matches, by name. An empty match is presence; in
 * withoutHeaders, `regex: "*"` is presence too (Istio's form for "header absent").
 */
function headerMatches(map: Readonly<Record<string, IstioStringMatch>> | undefined, invert: boolean, lowerCase: boolean): MessageInit<l7V1.HeaderMatch>[] {
  return Object.keys(map ?? {})
    .sort()
    .map((name) => {
      const match = map![name]!;
      const value = invert && match.regex === '*' ? undefined : stringMatch(match);
      return { name: lowerCase && !name.startsWith('@') ? name.toLowerCase() : name, value, invert };
    });
}

/** Map keys sorted: the encoding, and so the version, must not depend on the order written. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
