import { childrenOf, implicitPrimitive, rawContent, sequence, Tag, type Asn1 } from './asn1.js';

/**
 * One subjectAltName entry. Everything a CSR or certificate can carry is reported, not
 * only URIs, so that a CA can refuse what it did not ask for.
 */
export type SubjectAltName =
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'ip'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  /** otherName, x400Address, directoryName, ediPartyName or registeredID, by context tag. */
  | { readonly type: 'other'; readonly tag: number };

const EMAIL = 1;
const DNS = 2;
const URI = 6;
const IP = 7;

/** GeneralNames holding URIs only: all the profile ever writes. */
export function encodeUriGeneralNames(uris: readonly string[]): Asn1 {
  return sequence(uris.map((uri) => implicitPrimitive(URI, uri)));
}

export function decodeGeneralNames(node: Asn1): SubjectAltName[] {
  const names = childrenOf(node, Tag.SEQUENCE, 'subjectAltName');
  if (names.length === 0) throw new Error('subjectAltName is empty');
  return names.map((name, i) => decodeGeneralName(name, `subjectAltName[${i}]`));
}

function decodeGeneralName(node: Asn1, what: string): SubjectAltName {
  if (node.tagClass !== 0x80) throw new Error(`${what} is not a context-tagged GeneralName`);
  switch (node.type) {
    case EMAIL:
      return { type: 'email', value: ia5(node, what) };
    case DNS:
      return { type: 'dns', value: ia5(node, what) };
    case URI:
      return { type: 'uri', value: ia5(node, what) };
    case IP:
      return { type: 'ip', value: formatIp(rawContent(node, what), what) };
    default:
      return { type: 'other', tag: node.type };
  }
}

function ia5(node: Asn1, what: string): string {
  const value = rawContent(node, what);
  // IA5 is 7-bit: anything else is not a name but an attempt to confuse a comparison.
  if (!/^[\x20-\x7e]+$/.test(value)) throw new Error(`${what} is not printable IA5 text`);
  return value;
}

function formatIp(bytes: string, what: string): string {
  const octets = [...bytes].map((c) => c.charCodeAt(0));
  if (octets.length === 4) return octets.join('.');
  if (octets.length !== 16) throw new Error(`${what} is an IP address of ${octets.length} bytes`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(octets[i]! * 256 + octets[i + 1]!);
  return compressIpv6(groups);
}

/** RFC 5952 text: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** How a name reads in an error message, in OpenSSL's notation. */
export function describeSubjectAltName(name: SubjectAltName): string {
  switch (name.type) {
    case 'uri':
      return `URI:${name.value}`;
    case 'dns':
      return `DNS:${name.value}`;
    case 'ip':
      return `IP:${name.value}`;
    case 'email':
      return `email:${name.value}`;
    case 'other':
      return `GeneralName[${name.tag}]`;
  }
}
