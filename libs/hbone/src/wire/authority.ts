import { isIP } from 'node:net';

/** An IP address and a port: a destination workload, or the HBONE address of a ztunnel. */
export interface IpPort {
  readonly ip: string;
  readonly port: number;
}

/** Longest authority that can be an IPv6 address in brackets and a port. */
const MAX_AUTHORITY_LENGTH = 2 + 45 + 1 + 5;
const PORT = /^[1-9][0-9]{0,4}$/;

/**
 * The `:authority` of an HBONE CONNECT names the destination as `ip:port`
 * (`[v6]:port` for IPv6), never a host name: the ztunnel has already resolved the
 * service to an endpoint. Returns undefined for anything else, so the server can answer
 * 400; an IPv6 zone, a port 0 or with leading zeros, or surrounding spaces are refused.
 */
export function parseAuthority(authority: string): IpPort | undefined {
  if (authority.length > MAX_AUTHORITY_LENGTH) return undefined;
  const colon = authority.lastIndexOf(':');
  if (colon === -1) return undefined;
  const host = authority.slice(0, colon);
  const portText = authority.slice(colon + 1);
  if (!PORT.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) return undefined;
    const ip = host.slice(1, -1);
    // A zone ("%eth0") names an interface of the sender's host, meaningless at the destination.
    return isIP(ip) === 6 && !ip.includes('%') ? { ip: ip.toLowerCase(), port } : undefined;
  }
  return isIP(host) === 4 ? { ip: host, port } : undefined;
}

export function formatAuthority(address: IpPort): string {
  return isIP(address.ip) === 6 ? `[${address.ip}]:${address.port}` : `${address.ip}:${address.port}`;
}

/** Whether `address` is a literal IP and a port in 1–65535, as `:authority` needs. */
export function isIpPort(address: IpPort): boolean {
  return isIP(address.ip) !== 0 && Number.isInteger(address.port) && address.port >= 1 && address.port <= 65535;
}
