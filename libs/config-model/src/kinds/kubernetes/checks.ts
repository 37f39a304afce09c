import { isIP } from 'node:net';

/**
 * Format checks the Kubernetes API server applies to the fields the mesh reads. Each
 * returns an error message, or undefined when the value is valid.
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

/** DNS-1035 label (Service names): starts with a letter, at most 63 characters. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > 63) return `"${value}" is longer than 63 characters`;
  if (!DNS1035_LABEL.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character`;
  }
  return undefined;
}

/**
 * IANA_SVC_NAME, the form of a named port (container port names, a Service's string
 * targetPort): 1 to 15 lower case letters, digits and '-', with at least one letter,
 * no '-' at either end and no '--'.
 */
export function checkPortName(value: string): string | undefined {
  if (value.length === 0 || value.length > 15) return `port name "${value}" must be 1 to 15 characters`;
  if (!/^[-a-z0-9]+$/.test(value)) return `port name "${value}" must contain only lower case letters, digits and '-'`;
  if (!/[a-z]/.test(value)) return `port name "${value}" must contain at least one letter`;
  if (value.startsWith('-') || value.endsWith('-')) return `port name "${value}" must not start or end with '-'`;
  if (value.includes('--')) return `port name "${value}" must not contain '--'`;
  return undefined;
}

/**
 * Standard base64 with padding, as Go decodes `[]byte` fields from JSON (line breaks
 * are ignored). Returns the decoded length, or an error message.
 */
export function base64DecodedLength(value: string): number | string {
  const text = value.replace(/[\r\n]/g, '');
  if (!BASE64_CHARS.test(text)) return 'is not valid base64: only A-Z, a-z, 0-9, "+", "/" and "=" padding are allowed';
  if (text.length % 4 !== 0) return `is not valid base64: its length (${text.length}) is not a multiple of 4`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

export function checkBase64(value: string): string | undefined {
  const result = base64DecodedLength(value);
  return typeof result === 'string' ? result : undefined;
}

/** A key of a Secret's (or ConfigMap's) data: letters, digits, '-', '_' and '.'. */
export function checkSecretKey(key: string): string | undefined {
  if (key.length === 0) return 'key must not be empty';
  if (key.length > 253) return `key "${key}" is longer than 253 characters`;
  if (!SECRET_KEY.test(key)) return `key "${key}" must consist of alphanumeric characters, '-', '_' or '.'`;
  if (key === '.' || key === '..' || key.startsWith('..')) return `key "${key}" must not be '.' or '..' or start with '..'`;
  return undefined;
}

/** A fully qualified domain name (EndpointSlice FQDN addresses): at least two labels. */
export function checkFqdn(value: string): string | undefined {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `"${value}" is longer than 253 characters`;
  if (!name.includes('.')) return `"${value}" must be a fully qualified domain name with at least two labels`;
  if (!DNS1123_SUBDOMAIN.test(name) || name.split('.').some((label) => label.length > 63)) {
    return `"${value}" must consist of lower case alphanumeric labels of at most 63 characters separated by '.'`;
  }
  return undefined;
}

/** 4, 6, or 0 when `value` is not an IP address. */
export function ipFamily(value: string): 0 | 4 | 6 {
  return isIP(value) as 0 | 4 | 6;
}

function ipv4Octets(value: string): number[] {
  return value.split('.').map(Number);
}

function ipv6Words(value: string): number[] {
  // Expand `::` and a trailing embedded IPv4 into eight 16-bit words.
  let text = value.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Octets(v4[1]!);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((w) => parseInt(w, 16));
}

/**
 * Addresses an endpoint or external IP may not use (Kubernetes' ValidateNonSpecialIP):
 * unspecified, loopback, link-local unicast and link-local multicast.
 */
export function checkNonSpecialIp(value: string): string | undefined {
  const family = ipFamily(value);
  if (family === 4) {
    const [a, b, c] = ipv4Octets(value);
    if (ipv4Octets(value).every((o) => o === 0)) return `"${value}" may not be unspecified (0.0.0.0)`;
    if (a === 127) return `"${value}" may not be in the loopback range (127.0.0.0/8)`;
    if (a === 169 && b === 254) return `"${value}" may not be in the link-local range (169.254.0.0/16)`;
    if (a === 224 && b === 0 && c === 0) return `"${value}" may not be in the link-local multicast range (224.0.0.0/24)`;
  } else if (family === 6) {
    const words = ipv6Words(value);
    if (words.every((w) => w === 0)) return `"${value}" may not be unspecified (::)`;
    if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return `"${value}" may not be the loopback address (::1)`;
    const first = words[0] ?? 0;
    if ((first & 0xffc0) === 0xfe80) return `"${value}" may not be in the link-local range (fe80::/10)`;
    if ((first & 0xff0f) === 0xff02) return `"${value}" may not be in the link-local multicast range (ff02::/16)`;
    // IPv4-mapped addresses are judged as the IPv4 address they carry.
    if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
      const w6 = words[6] ?? 0;
      const w7 = words[7] ?? 0;
      return checkNonSpecialIp(`${w6 >> 8}.${w6 & 0xff}.${w7 >> 8}.${w7 & 0xff}`);
    }
  }
  return undefined;
}

/** A CIDR block (`10.244.0.0/24`, `fd00::/64`); returns its family, or an error message. */
export function cidrFamily(value: string): 4 | 6 | string {
  const slash = value.indexOf('/');
  if (slash === -1) return `"${value}" is not a CIDR block (address/prefix-length)`;
  const family = ipFamily(value.slice(0, slash));
  if (family === 0) return `"${value}" is not a CIDR block (address/prefix-length)`;
  const bits = value.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${value}" has an invalid prefix length (0-${max})`;
  return family;
}

/** Gateway API hostname: lower case DNS name, optionally prefixed by `*.`, at most 253 characters. */
export function checkGatewayHostname(value: string): string | undefined {
  if (value.length === 0) return 'hostname must not be empty';
  if (value.length > 253) return `hostname "${value}" is longer than 253 characters`;
  const name = value.startsWith('*.') ? value.slice(2) : value;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `hostname "${value}" must be a lower case DNS name, optionally prefixed by "*." (no port, no trailing dot)`;
  }
  return undefined;
}
