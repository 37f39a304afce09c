import { isIP } from 'node:net';

/**
 * IP text to the 4 or 16 bytes the wire carries (Go's netip.Addr.AsSlice): IPv4 as 4
 * bytes, IPv6 (including IPv4-mapped) as 16. Undefined for anything that is not an IP.
 */
export function ipBytes(text: string): Uint8Array | undefined {
  const family = isIP(text);
  if (family === 4) return Uint8Array.from(text.split('.').map(Number));
  if (family === 6) return ipv6Bytes(text);
  return undefined;
}

function ipv6Bytes(text: string): Uint8Array {
  // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two groups, written as a dotted quad.
  let body = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    body = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [head = '', rest] = body.split('::');
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = rest === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** An IP or CIDR block as address bytes and prefix length (a bare IP is a full-length prefix). */
export function cidrBlock(text: string): { readonly address: Uint8Array; readonly length: number } | undefined {
  const slash = text.indexOf('/');
  const address = ipBytes(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  if (slash < 0) return { address, length: address.length * 8 };
  const bits = text.slice(slash + 1);
  const length = Number(bits);
  if (!/^\d+$/.test(bits) || length > address.length * 8) return undefined;
  return { address, length };
}
