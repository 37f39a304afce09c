import { ipFamily } from '../../schema/names.js';

/**
 * Format checks the Kubernetes API server applies to the fields the mesh reads that
 * are not names or hosts (those are in schema/names.ts). Each returns an error
 * message, or undefined when the value is valid.
 */

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

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

/** A key of a Secret's (or ConfigMap's) data: letters, digits, '-', '_' and '.'. */
export function checkSecretKey(key: string): string | undefined {
  if (key.length === 0) return 'key must not be empty';
  if (key.length > 253) return `key "${key}" is longer than 253 characters`;
  if (!SECRET_KEY.test(key)) return `key "${key}" must consist of alphanumeric characters, '-', '_' or '.'`;
  if (key === '.' || key === '..' || key.startsWith('..')) return `key "${key}" must not be '.' or '..' or start with '..'`;
  return undefined;
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
