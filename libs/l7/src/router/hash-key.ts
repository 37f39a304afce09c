import type { l7V1 } from '@ambit/xds';
import type { RequestView } from '../routing/request-view.js';
import { hash32 } from '../upstream/hash.js';

/** A request's consistent-hash key, and the cookie to set when Envoy would generate one. */
export interface HashKey {
  readonly hash: number | undefined;
  /** A Set-Cookie value for the response. */
  readonly setCookie?: string;
}

const NO_KEY: HashKey = { hash: undefined };

/**
 * The hash a CONSISTENT_HASH cluster places a request by: a header, a cookie, the
 * source IP or a query parameter. A missing key means a random pick, as in Envoy,
 * except for a cookie with a ttl: Envoy then generates the cookie, hashes on it and
 * sets it on the response so that the client sticks from its next request on.
 */
export function hashKey(policy: l7V1.ConsistentHash | null, request: RequestView, random: () => number): HashKey {
  switch (policy?.key) {
    case 'httpHeaderName':
      return keyOf(request.header(policy.httpHeaderName.toLowerCase()));
    case 'httpQueryParameterName':
      return keyOf(request.queryParam(policy.httpQueryParameterName));
    case 'useSourceIp':
      return keyOf(request.source.ip);
    case 'httpCookie': {
      const cookie = policy.httpCookie;
      const value = cookieValue(request.header('cookie'), cookie.name);
      if (value !== undefined) return keyOf(value);
      if (cookie.ttlMs <= 0) return NO_KEY;
      const generated = randomHex(random) + randomHex(random);
      const attributes = [`Max-Age=${Math.floor(cookie.ttlMs / 1000)}`, cookie.path === '' ? undefined : `Path=${cookie.path}`, 'HttpOnly'];
      return { hash: hash32(generated), setCookie: [`${cookie.name}="${generated}"`, ...attributes.filter((a) => a !== undefined)].join('; ') };
    }
    default:
      return NO_KEY;
  }
}

function keyOf(value: string | undefined): HashKey {
  return value === undefined ? NO_KEY : { hash: hash32(value) };
}

/** A cookie's value from a Cookie header (quotes removed). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

function randomHex(random: () => number): string {
  return Math.floor(random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
}
