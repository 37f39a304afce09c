import type { RequestSource } from '../engine/types.js';

/** What route matching, hashing and rewriting read of a request. */
export interface RequestView {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The query string without `?`; empty when there is none. */
  readonly query: string;
  /** Host or :authority as sent. */
  readonly authority: string;
  /** The authority lower-cased, its port removed: what virtual hosts are chosen by. */
  readonly host: string;
  readonly scheme: 'http' | 'https';
  readonly source: RequestSource;
  /** A header by lower-case name, repeated values joined with "," as Envoy matches them; `:authority`, `:method`, `:path` and `:scheme` too. */
  header(name: string): string | undefined;
  /** The first value of a query parameter, percent-decoded. */
  queryParam(name: string): string | undefined;
}

/** `host[:port]` → lower-case host without port; IPv6 literals keep their brackets. */
export function hostOf(authority: string): string {
  const lower = authority.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end < 0 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.lastIndexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}
