import { isIP } from 'node:net';

/**
 * The request headers an HBONE CONNECT carries besides `:method` and `:authority`, as
 * Istio's ztunnel sends them: `forwarded` names the original client (RFC 7239
 * `for=`), `traceparent` (W3C Trace Context) correlates the hops of one connection, and
 * `baggage` (W3C Baggage) describes the source workload for the destination's
 * telemetry (`k8s.namespace.name=…,k8s.deployment.name=…,service.name=…`).
 */
export interface HboneRequestHeaders {
  readonly forwarded?: string;
  readonly traceparent?: string;
  readonly baggage?: string;
}

export const FORWARDED = 'forwarded';
export const TRACEPARENT = 'traceparent';
export const BAGGAGE = 'baggage';

/** `for=<ip>` as RFC 7239 writes a client: IPv6 quoted and bracketed. */
export function forwardedFor(clientIp: string): string {
  return isIP(clientIp) === 6 ? `for="[${clientIp}]"` : `for=${clientIp}`;
}

/**
 * The original client's IP from a `forwarded` header: the first element's `for=`, if it
 * is an IP (obfuscated identifiers and `unknown` give undefined). Only the first element
 * is read: HBONE has one hop, and a later element was added by no one the server knows.
 */
export function forwardedClientIp(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const first = header.split(',', 1)[0]!;
  for (const pair of first.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim().toLowerCase() !== 'for') continue;
    let value = pair.slice(equals + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (value.startsWith('[')) {
      const close = value.indexOf(']');
      value = close === -1 ? '' : value.slice(1, close);
    } else if (isIP(value) === 0) {
      // A v4 node may carry a port ("192.0.2.1:4711").
      const colon = value.lastIndexOf(':');
      if (colon !== -1) value = value.slice(0, colon);
    }
    return isIP(value) === 0 ? undefined : value;
  }
  return undefined;
}

/**
 * Header values go onto the wire as given: a CR, LF or NUL would let a caller's value
 * smuggle another header, so such values are refused (the name of the one at fault is
 * returned).
 */
export function invalidHeaderValue(headers: HboneRequestHeaders): string | undefined {
  for (const [name, value] of Object.entries(headers) as [string, unknown][]) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) return name;
  }
  return undefined;
}
