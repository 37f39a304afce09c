import { isIP } from 'node:net';

/**
 * An IP address, or a CIDR of exactly one address (`/32`, `/128`), as the single address
 * (Istio's parseCidrOrIP: ServiceEntry addresses may be CIDRs, ztunnel takes one IP).
 * Undefined for anything else.
 */
export function singleAddress(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return isIP(value) === 0 ? undefined : value;
  const ip = value.slice(0, slash);
  const family = isIP(ip);
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^\d+$/.test(bits)) return undefined;
  return Number(bits) === (family === 4 ? 32 : 128) ? ip : undefined;
}
