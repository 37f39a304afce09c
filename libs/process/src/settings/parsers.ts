import { isIPv4, isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '@ambit/telemetry';
import type { ValueParser } from './value-parser.js';

/** Where a server listens, or where a peer is reached. */
export interface HostPort {
  /** An IP address or host name; IPv6 without brackets. */
  readonly host: string;
  /** 0 lets the system pick a free port (tests). */
  readonly port: number;
}

// Kubernetes' DNS-1123 names, which the mesh settings (trust domain, cluster domain, node names) must be.
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/;

// All digits and dots is meant as an IPv4 address (999.1.1.1 is a typo, not a name).
function isHostName(host: string): boolean {
  return HOST_NAME.test(host) && host.length <= 253 && !/^[\d.]+$/.test(host);
}

/** `host:port` (IPv6 in brackets) with a port from 0 to 65535; `examples` end the error text. */
export function hostPort(examples: string): ValueParser<HostPort> {
  return {
    accepts: `host:port with a port from 0 to 65535, e.g. ${examples}`,
    parse(text) {
      const match = HOST_PORT.exec(text);
      if (match === null) return undefined;
      const [, ipv6, host = ipv6, digits] = match;
      const port = Number(digits);
      if (host === undefined || port > 65535) return undefined;
      const hostOk = ipv6 !== undefined ? isIPv6(ipv6) : isIPv4(host) || isHostName(host);
      return hostOk ? Object.freeze({ host, port }) : undefined;
    },
  };
}

export const dnsName: ValueParser<string> = {
  accepts: 'a lower-case DNS name (labels of a-z, 0-9 and "-" of at most 63 characters, separated by "."), e.g. cluster.local',
  parse: (text) => (DNS_NAME.test(text) && text.length <= 253 && text.split('.').every((label) => label.length <= 63) ? text : undefined),
};

/** A file, resolved against the working directory at start so that a config dump shows where it really is. */
export function filePath(cwd: string): ValueParser<string> {
  return { accepts: 'a file path', parse: (text) => (text.trim() === '' ? undefined : resolve(cwd, text)) };
}

/** A directory, resolved against the working directory at start, as files are. */
export function directory(cwd: string): ValueParser<string> {
  return { accepts: 'a directory path', parse: (text) => (text.trim() === '' ? undefined : resolve(cwd, text)) };
}

export const logLevel: ValueParser<LogLevel> = {
  accepts: `one of ${LOG_LEVELS.join(', ')}`,
  parse: (text) => LOG_LEVELS.find((level) => level === text),
};
