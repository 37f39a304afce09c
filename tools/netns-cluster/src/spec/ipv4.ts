/**
 * The IPv4 arithmetic a cluster description needs: addresses as 32-bit numbers,
 * CIDRs, containment and overlap. The cluster is IPv4-only for now.
 */

export interface Cidr {
  /** The network address (host bits zero). */
  readonly base: number;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a number, or undefined when `text` is not a dotted-quad IPv4 literal. */
export function parseIpv4(text: string): number | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (match[i + 1]!.length > 1 && match[i + 1]!.startsWith('0')))) return undefined;
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

export function formatIpv4(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** A CIDR, or a reason why `text` is not one (host bits set, bad prefix, ...). */
export function parseCidr(text: string): Cidr | string {
  const [ip, prefixText, ...rest] = text.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return 'must be an IPv4 CIDR such as 10.244.1.0/24';
  const base = parseIpv4(ip!);
  const prefix = Number(prefixText);
  if (base === undefined || prefix > 32) return 'must be an IPv4 CIDR such as 10.244.1.0/24';
  if ((base & ~mask(prefix)) >>> 0 !== 0) return `has host bits set: the network is ${formatCidr({ base: (base & mask(prefix)) >>> 0, prefix })}`;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

export function contains(cidr: Cidr, ip: number): boolean {
  return (ip & mask(cidr.prefix)) >>> 0 === cidr.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b.base) || contains(b, a.base);
}

/** The `n`th address of the CIDR (0 is the network address). */
export function nthAddress(cidr: Cidr, n: number): number {
  return (cidr.base + n) >>> 0;
}

/** How many addresses the CIDR holds, the network and broadcast addresses included. */
export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** Whether `ip` is a usable host address: neither the network nor the broadcast address. */
export function isHostAddress(cidr: Cidr, ip: number): boolean {
  return contains(cidr, ip) && ip !== cidr.base && ip !== nthAddress(cidr, size(cidr) - 1);
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}
