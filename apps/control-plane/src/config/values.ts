import { isIPv4, isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { parseDurationNanos } from '@ambit/config-model';
import { LOG_LEVELS, type LogLevel } from '@ambit/telemetry';

/** Reads one setting's text; undefined means the text is not acceptable, as `accepts` describes. */
export interface ValueParser<T> {
  /** What is accepted, for the error message: "expected <accepts>". */
  readonly accepts: string;
  parse(text: string): T | undefined;
}

/** Where a server listens. */
export interface ListenAddress {
  /** An IP address or host name; IPv6 without brackets. */
  readonly host: string;
  /** 0 lets the system pick a free port (tests). */
  readonly port: number;
}


// The rules the model applies to its mesh settings (Kubernetes' DNS-1123 names), checked
// here too so that a bad value fails at the flag that gave it rather than deep in a stage.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
const ADDRESS = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/;
const NANOS_PER_MS = 1e6;
// Both providers push at most 500 ms after the first change of a burst, so a longer quiet time would mean nothing.
const MAX_DEBOUNCE_MS = 500;
/** Certificates have whole-second validity, so a shorter TTL would issue empty certificates. */
const MIN_TTL_MS = 1000;

export const dnsName: ValueParser<string> = {
  accepts: 'a lower-case DNS name (labels of a-z, 0-9 and "-" of at most 63 characters, separated by "."), e.g. cluster.local',
  parse: (text) => (DNS_NAME.test(text) && text.length <= 253 && text.split('.').every((label) => label.length <= 63) ? text : undefined),
};

export const namespaceName: ValueParser<string> = {
  accepts: 'a namespace name (lower-case letters, digits and "-", at most 63 characters), e.g. istio-system',
  parse: (text) => (DNS_LABEL.test(text) && text.length <= 63 ? text : undefined),
};

export const clusterId: ValueParser<string> = {
  // Workload uids are `<clusterId>/<group>/<kind>/...`; a slash would make them ambiguous.
  accepts: 'a non-empty name without "/", e.g. Kubernetes',
  parse: (text) => (text !== '' && !text.includes('/') && text.trim() === text ? text : undefined),
};

export const listenAddress: ValueParser<ListenAddress> = {
  accepts: 'host:port with a port from 0 to 65535, e.g. 127.0.0.1:15012, 0.0.0.0:15012 or [::1]:15012',
  parse(text) {
    const match = ADDRESS.exec(text);
    if (match === null) return undefined;
    const [, ipv6, host = ipv6, digits] = match;
    const port = Number(digits);
    if (host === undefined || port > 65535) return undefined;
    const hostOk = ipv6 !== undefined ? isIPv6(ipv6) : isIPv4(host) || isHostName(host);
    return hostOk ? Object.freeze({ host, port }) : undefined;
  },
};

// All digits and dots is meant as an IPv4 address (999.1.1.1 is a typo, not a name).
function isHostName(host: string): boolean {
  return HOST_NAME.test(host) && host.length <= 253 && !/^[\d.]+$/.test(host);
}

/** A directory, resolved against the working directory at start so that the dump shows where it really is. */
export function directory(cwd: string): ValueParser<string> {
  return {
    accepts: 'a directory path',
    parse: (text) => (text.trim() === '' ? undefined : resolve(cwd, text)),
  };
}

/** A file, resolved against the working directory at start, as directories are. */
export function filePath(cwd: string): ValueParser<string> {
  return {
    accepts: 'a file path',
    parse: (text) => (text.trim() === '' ? undefined : resolve(cwd, text)),
  };
}

/** The quiet time before a batch of changes is pushed (0 pushes each change at once), in milliseconds. */
export const debounceDuration: ValueParser<number> = {
  accepts: "a duration from 0ms to 500ms in Istio's format, e.g. 100ms or 0ms",
  parse(text) {
    const nanos = parseDurationNanos(text);
    if (nanos === undefined) return undefined;
    const ms = nanos / NANOS_PER_MS;
    return ms <= MAX_DEBOUNCE_MS ? ms : undefined;
  },
};

/** A certificate lifetime in Istio's duration format, as milliseconds (what the CA takes). */
export const certificateTtl: ValueParser<number> = {
  accepts: 'a duration of at least 1s in Istio\'s format (units h, m, s, ms), e.g. 24h, 90m or 2160h',
  parse(text) {
    const nanos = parseDurationNanos(text);
    if (nanos === undefined) return undefined;
    const ms = Math.round(nanos / NANOS_PER_MS);
    return ms >= MIN_TTL_MS ? ms : undefined;
  },
};

export const logLevel: ValueParser<LogLevel> = {
  accepts: `one of ${LOG_LEVELS.join(', ')}`,
  parse: (text) => LOG_LEVELS.find((level) => level === text),
};

/** Where the mesh's resources come from. */
export type ProviderKind = 'file' | 'kubernetes';

export const providerKind: ValueParser<ProviderKind> = {
  accepts: 'file (a directory of YAML) or kubernetes (the API server in the kubeconfig)',
  parse: (text) => (text === 'file' || text === 'kubernetes' ? text : undefined),
};
