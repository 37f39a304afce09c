import { isIP } from 'node:net';

/**
 * IP addresses as the state holds them: canonical text, so that one address has one
 * spelling and can key a map (the same rules as ztunnel's state).
 */

/** The text of a 4- or 16-byte address; undefined for any other length. */
export function ipFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonicalIp(groups.join(':'));
}

/** The canonical text of an IP (IPv4-mapped IPv6 becomes IPv4, as a dual-stack socket reports IPv4 peers), or undefined. */
export function canonicalIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text.split('.').map(Number).join('.');
  if (family !== 6) return undefined;
  // URL's host parser compresses and lower-cases IPv6 (RFC 5952).
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped === null) return compressed;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** `network/ip`, as ztunnel's config dump writes a NetworkAddress. */
export function networkAddressKey(network: string, ip: string): string {
  return `${network}/${ip}`;
}
