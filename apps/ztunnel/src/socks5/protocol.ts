import { ipFromBytes } from '../state/ip.js';

/**
 * The bytes of SOCKS5 (RFC 1928) that ztunnel speaks: the method negotiation (no
 * authentication only) and the CONNECT request with the three address types. Pure
 * functions over buffers, so the parser is tested byte by byte, fuzzed, and never
 * touches a socket. Every message has a small maximum size (at most 257 and 262 bytes),
 * so a parse either completes or fails within a bounded number of bytes.
 */

export const SOCKS_VERSION = 0x05;
export const METHOD_NO_AUTH = 0x00;
export const METHOD_NONE_ACCEPTABLE = 0xff;
export const COMMAND_CONNECT = 0x01;
export const ATYP_IPV4 = 0x01;
export const ATYP_DOMAIN = 0x03;
export const ATYP_IPV6 = 0x04;

/** RFC 1928 section 6 reply codes. */
export const Reply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;
export type ReplyCode = (typeof Reply)[keyof typeof Reply];

/** Largest greeting (VER, NMETHODS, 255 methods) and request (VER CMD RSV ATYP, 1+255 name bytes, port). */
export const MAX_GREETING_BYTES = 2 + 255;
export const MAX_REQUEST_BYTES = 4 + 1 + 255 + 2;

export type Parsed<T> =
  /** More bytes are needed. */
  | { readonly status: 'incomplete' }
  /** A whole message: its value and how many bytes it took. */
  | { readonly status: 'done'; readonly value: T; readonly length: number }
  /** Not acceptable; `reply` is what to answer before closing (none when the peer does not speak SOCKS5). */
  | { readonly status: 'invalid'; readonly reason: string; readonly reply: ReplyCode | undefined };

export interface Greeting {
  readonly methods: readonly number[];
}

export interface ConnectRequest {
  readonly addressType: 'ipv4' | 'ipv6' | 'domain';
  /** An IP address (canonical text) or a host name. */
  readonly host: string;
  readonly port: number;
}

const INCOMPLETE = Object.freeze({ status: 'incomplete' as const });

function invalid(reason: string, reply?: ReplyCode): Parsed<never> {
  return { status: 'invalid', reason, reply };
}

// Letters, digits, '-', '_' (seen in real names) and dots: anything else cannot be a host name.
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** VER NMETHODS METHODS… */
export function parseGreeting(bytes: Uint8Array): Parsed<Greeting> {
  if (bytes.length < 1) return INCOMPLETE;
  if (bytes[0] !== SOCKS_VERSION) return invalid(`version ${bytes[0]} is not SOCKS5`);
  if (bytes.length < 2) return INCOMPLETE;
  const count = bytes[1]!;
  if (count === 0) return invalid('the greeting offers no authentication method');
  if (bytes.length < 2 + count) return INCOMPLETE;
  return { status: 'done', value: { methods: [...bytes.subarray(2, 2 + count)] }, length: 2 + count };
}

/** VER CMD RSV ATYP DST.ADDR DST.PORT */
export function parseRequest(bytes: Uint8Array): Parsed<ConnectRequest> {
  if (bytes.length < 1) return INCOMPLETE;
  if (bytes[0] !== SOCKS_VERSION) return invalid(`version ${bytes[0]} is not SOCKS5`, Reply.generalFailure);
  if (bytes.length < 2) return INCOMPLETE;
  if (bytes[1] !== COMMAND_CONNECT) return invalid(`command ${bytes[1]} is not supported (only CONNECT)`, Reply.commandNotSupported);
  if (bytes.length < 4) return INCOMPLETE;
  const atyp = bytes[3];
  let host: string | undefined;
  let addressType: ConnectRequest['addressType'];
  let end: number;
  switch (atyp) {
    case ATYP_IPV4:
    case ATYP_IPV6: {
      const size = atyp === ATYP_IPV4 ? 4 : 16;
      end = 4 + size;
      if (bytes.length < end + 2) return INCOMPLETE;
      host = ipFromBytes(bytes.subarray(4, end));
      addressType = atyp === ATYP_IPV4 ? 'ipv4' : 'ipv6';
      break;
    }
    case ATYP_DOMAIN: {
      if (bytes.length < 5) return INCOMPLETE;
      const size = bytes[4]!;
      if (size === 0) return invalid('the domain name is empty', Reply.hostUnreachable);
      end = 5 + size;
      if (bytes.length < end + 2) return INCOMPLETE;
      host = Buffer.from(bytes.subarray(5, end)).toString('latin1');
      if (!HOST_NAME.test(host)) return invalid(`${JSON.stringify(host)} is not a host name`, Reply.hostUnreachable);
      addressType = 'domain';
      break;
    }
    default:
      return invalid(`address type ${atyp} is not supported (IPv4 1, domain name 3, IPv6 4)`, Reply.addressTypeNotSupported);
  }
  const port = (bytes[end]! << 8) | bytes[end + 1]!;
  if (port === 0) return invalid('port 0 cannot be connected to', Reply.hostUnreachable);
  return { status: 'done', value: { addressType, host: host!, port }, length: end + 2 };
}

export function methodSelection(method: number): Buffer {
  return Buffer.from([SOCKS_VERSION, method]);
}

/**
 * VER REP RSV ATYP BND.ADDR BND.PORT. `bound` is the address ztunnel connected from
 * (clients rarely use it); absent, it is 0.0.0.0:0 as RFC 1928 allows for failures.
 */
export function encodeReply(code: ReplyCode, bound?: { readonly ip: string; readonly port: number }): Buffer {
  const address = bound === undefined ? undefined : ipBytes(bound.ip);
  if (address === undefined) return Buffer.from([SOCKS_VERSION, code, 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0]);
  const reply = Buffer.alloc(4 + address.length + 2);
  reply.set([SOCKS_VERSION, code, 0, address.length === 4 ? ATYP_IPV4 : ATYP_IPV6]);
  reply.set(address, 4);
  reply.writeUInt16BE(bound!.port, 4 + address.length);
  return reply;
}

function ipBytes(ip: string): Uint8Array | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return Uint8Array.from(ip.split('.').map(Number));
  // Embedded IPv4 forms (`64:ff9b::1.2.3.4`) are not expected here; the reply then carries 0.0.0.0:0.
  if (!ip.includes(':') || ip.includes('.')) return undefined;
  const [head = '', tail] = ip.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const high = parse(head);
  const low = tail === undefined ? [] : parse(tail);
  const groups = [...high, ...new Array<number>(8 - high.length - low.length).fill(0), ...low];
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return undefined;
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 255]));
}
