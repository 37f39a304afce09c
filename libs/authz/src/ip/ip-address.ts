/** An address family, or 0 for text that is not an IP address. */
export type IpFamily = 0 | 4 | 6;

const COLON = 0x3a;
const DOT = 0x2e;

/**
 * One parsed IP address, overwritten by every `parse`: the engine keeps one per
 * connection attribute so that matching a connection allocates nothing. The address is
 * four big-endian 32-bit words; an IPv4 address is `words[0]` alone.
 *
 * Addresses are canonical, as ztunnel makes every socket address it authorizes
 * (`socket::to_canonical`, src/proxy/inbound.rs): an IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`, what a dual-stack Node.js socket reports for an IPv4 peer) is the
 * IPv4 address it carries.
 */
export class IpAddress {
  family: IpFamily = 0;
  readonly words = new Uint32Array(4);
  readonly #groups = new Uint16Array(8);

  /**
   * Reads `text` (dotted-quad IPv4, or IPv6 as RFC 4291 writes it, with an optional
   * `%zone` that is ignored); accepts exactly what `net.isIP` accepts. False, with
   * `family` 0, for anything else.
   */
  parse(text: string): boolean {
    this.family = 0;
    if (text.indexOf(':') < 0) {
      const v4 = parseIpv4(text, 0, text.length);
      if (v4 < 0) return false;
      this.words[0] = v4;
      this.family = 4;
      return true;
    }
    const zone = text.indexOf('%');
    const end = zone < 0 ? text.length : zone;
    if ((zone >= 0 && !validZone(text, zone + 1)) || !this.#parseIpv6(text, end)) return false;
    const w = this.words;
    if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) {
      w[0] = w[3]!;
      this.family = 4;
    } else {
      this.family = 6;
    }
    return true;
  }

  /** Loads 4 or 16 address bytes (the wire form); false for any other length. */
  load(bytes: Uint8Array): boolean {
    this.family = 0;
    if (bytes.length === 4) {
      this.words[0] = word(bytes, 0);
      this.family = 4;
      return true;
    }
    if (bytes.length !== 16) return false;
    for (let i = 0; i < 4; i++) this.words[i] = word(bytes, i * 4);
    this.family = 6;
    return true;
  }

  #parseIpv6(text: string, end: number): boolean {
    const groups = this.#groups;
    let count = 0;
    let gap = -1;
    let i = 0;
    if (text.charCodeAt(0) === COLON) {
      if (text.charCodeAt(1) !== COLON) return false;
      gap = 0;
      i = 2;
    }
    while (i < end) {
      const start = i;
      let value = 0;
      while (i < end && i - start < 5) {
        const digit = hexDigit(text.charCodeAt(i));
        if (digit < 0) break;
        value = value * 16 + digit;
        i++;
      }
      if (i < end && text.charCodeAt(i) === DOT) {
        // An embedded IPv4 tail (::ffff:10.0.0.1) fills the last two groups.
        const v4 = parseIpv4(text, start, end);
        if (v4 < 0 || count > 6) return false;
        groups[count++] = v4 >>> 16;
        groups[count++] = v4 & 0xffff;
        i = end;
        break;
      }
      const digits = i - start;
      if (digits === 0 || digits > 4 || count === 8) return false;
      groups[count++] = value;
      if (i === end) break;
      if (text.charCodeAt(i) !== COLON) return false;
      i++;
      if (text.charCodeAt(i) === COLON && i < end) {
        if (gap >= 0) return false;
        gap = count;
        i++;
      } else if (i === end) {
        return false;
      }
    }
    if (gap < 0 ? count !== 8 : count > 7) return false;
    if (gap >= 0) {
      // Shift the groups after "::" to the end and zero the gap.
      const tail = count - gap;
      for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k]!;
      for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
    }
    for (let k = 0; k < 4; k++) this.words[k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
    return true;
  }
}

/** Dotted-quad IPv4 in text[start, end) as an unsigned 32-bit number, or -1. Leading zeros are refused, as `net.isIPv4` refuses them. */
function parseIpv4(text: string, start: number, end: number): number {
  let result = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    const first = i;
    let octet = 0;
    while (i < end) {
      const c = text.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      octet = octet * 10 + c;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(first) === 0x30)) return -1;
    result = result * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== DOT || i >= end) return -1;
      i++;
    }
  }
  return i === end ? result : -1;
}

/** A zone id as `net.isIPv6` accepts it: one or more of 0-9, a-z, A-Z, '-', '.', ':'. */
function validZone(text: string, start: number): boolean {
  if (start >= text.length) return false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = hexDigit(c) >= 0 || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === DOT || c === COLON;
    if (!ok) return false;
  }
  return true;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function word(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
