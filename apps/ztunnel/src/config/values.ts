import { isIPv4, isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { parseDurationNanos } from '@ambit/config-model';
import { SpiffeId } from '@ambit/crypto';
import { LOG_LEVELS, type LogLevel } from '@ambit/telemetry';

/** Reads one setting's text; undefined means the text is not acceptable, as `accepts` describes. */
export interface ValueParser<T> {
  /** What is accepted, for the error message: "expected <accepts>". */
  readonly accepts: string;
  parse(text: string): T | undefined;
}

/** Where a server listens, or where a peer is reached. */
export interface HostPort {
  /** An IP address or host name; IPv6 without brackets. */
  readonly host: string;
  /** 0 lets the system pick a free port (tests). */
  readonly port: number;
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/;
const NANOS_PER_MS = 1e6;

function isDnsName(text: string): boolean {
  return DNS_NAME.test(text) && text.length <= 253 && text.split('.').every((label) => label.length <= 63);
}

// All digits and dots is meant as an IPv4 address (999.1.1.1 is a typo, not a name).
function isHostName(host: string): boolean {
  return HOST_NAME.test(host) && host.length <= 253 && !/^[\d.]+$/.test(host);
}

export const hostPort: ValueParser<HostPort> = {
  accepts: 'host:port with a port from 0 to 65535, e.g. 127.0.0.1:15000, 0.0.0.0:15020 or [::1]:15021',
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

/** The control plane's address: a port of 0 cannot be dialled. */
export const dialAddress: ValueParser<HostPort> = {
  accepts: 'host:port with a port from 1 to 65535, e.g. 127.0.0.1:15012 or istiod.istio-system.svc:15012',
  parse: (text) => {
    const address = hostPort.parse(text);
    return address !== undefined && address.port > 0 ? address : undefined;
  },
};

export const dnsName: ValueParser<string> = {
  accepts: 'a lower-case DNS name (labels of a-z, 0-9 and "-" of at most 63 characters, separated by "."), e.g. cluster.local',
  parse: (text) => (isDnsName(text) ? text : undefined),
};

/** Kubernetes node names are DNS subdomains; the control plane puts them in Workload.node. */
export const nodeName: ValueParser<string> = {
  accepts: 'a Kubernetes node name (a lower-case DNS name), e.g. node-a',
  parse: (text) => (isDnsName(text) ? text : undefined),
};

export const network: ValueParser<string> = {
  // Istio network names are free-form; "/" would make the (network/address) keys ambiguous.
  accepts: 'a network name without "/" (empty for a single-network mesh)',
  parse: (text) => (!text.includes('/') && text.trim() === text ? text : undefined),
};

export const spiffeId: ValueParser<string> = {
  accepts: 'a SPIFFE ID, e.g. spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
  parse(text) {
    try {
      return SpiffeId.parse(text).toString();
    } catch {
      return undefined;
    }
  },
};

export const port: ValueParser<number> = {
  accepts: 'a port from 0 to 65535 (0: one picked by the system for each listener)',
  parse: (text) => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined),
};

/** A file, resolved against the working directory at start so that the dump shows where it really is. */
export function file(cwd: string): ValueParser<string> {
  return { accepts: 'a file path', parse: (text) => (text.trim() === '' ? undefined : resolve(cwd, text)) };
}

export const duration: ValueParser<number> = {
  accepts: "a duration in Istio's format (units h, m, s, ms), e.g. 5s or 1500ms",
  parse(text) {
    const nanos = parseDurationNanos(text);
    return nanos === undefined ? undefined : Math.round(nanos / NANOS_PER_MS);
  },
};

export const logLevel: ValueParser<LogLevel> = {
  accepts: `one of ${LOG_LEVELS.join(', ')}`,
  parse: (text) => LOG_LEVELS.find((level) => level === text),
};
