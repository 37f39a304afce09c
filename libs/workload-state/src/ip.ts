import { isIP } from 'node:net';

/**
 * IP addresses as the state holds them: canonical text (IPv4 dotted, IPv6 as
 * Node prints it), so that one address always has one spelling and can key a map.
 */

/** The text of a 4- or 16-byte address; undefined for any other length. */
export function ipFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonicalIp(groups.join(':'));
}

/**
 * The canonical text of an IP address, or undefined when `text` is not one. An
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket reports for an
 * IPv4 peer) becomes the IPv4 address, as ztunnel's `to_canonical` does.
 */
export function canonicalIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text.split('.').map(Number).join('.');
  if (family !== 6) return undefined;
  // URL's host parser compresses and lower-cases IPv6 (RFC 5952) without a dependency.
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped === null) return compressed;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** The key of an address on a network, written as ztunnel's config dump writes a NetworkAddress: `network/ip`. */
export function networkAddressKey(network: string, ip: string): string {
  return `${network}/${ip}`;
}
