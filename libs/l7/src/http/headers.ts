import type { IncomingHttpHeaders } from 'node:http';

/** Headers as the engine edits them: lower-case names, repeated values as arrays (node's outgoing shape). */
export type HeaderMap = Record<string, string | string[]>;

/**
 * Connection-specific headers (RFC 9110 §7.6.1) and HTTP/2 pseudo-headers: never
 * forwarded, in either direction; HTTP/2 responses must not carry them at all.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings']);

/** Copies `headers` without hop-by-hop ones, nor those the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const named = connectionTokens(headers.connection);
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return new Set();
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(text.split(',').map((token) => token.trim().toLowerCase()).filter((token) => token !== ''));
}

/** One header's values joined with "," (how Envoy matches and hashes repeated headers). */
export function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export function appendHeader(headers: HeaderMap, name: string, value: string): void {
  const current = headers[name];
  if (current === undefined) headers[name] = value;
  else headers[name] = Array.isArray(current) ? [...current, value] : [current, value];
}
