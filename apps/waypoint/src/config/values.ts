import { isIP } from 'node:net';
import { parseDurationNanos } from '@ambit/config-model';
import { SpiffeId } from '@ambit/crypto';
import { dnsName, hostPort, type HostPort, type ValueParser } from '@ambit/process';

// The waypoint's own value parsers; the generic ones (addresses, DNS names, files, log level) are @ambit/process's.

const NANOS_PER_MS = 1e6;

export const listenAddress = hostPort('127.0.0.1:15000, 0.0.0.0:15020 or [::1]:15021');

/** The control plane's address: a port of 0 cannot be dialled. */
export const dialAddress: ValueParser<HostPort> = {
  accepts: 'host:port with a port from 1 to 65535, e.g. 127.0.0.1:15012 or istiod.istio-system.svc:15012',
  parse: (text) => {
    const address = listenAddress.parse(text);
    return address !== undefined && address.port > 0 ? address : undefined;
  },
};

/** Kubernetes node names are DNS subdomains; the control plane puts them in Workload.node. */
export const nodeName: ValueParser<string> = {
  accepts: 'a Kubernetes node name (a lower-case DNS name), e.g. node-a',
  parse: (text) => dnsName.parse(text),
};

/** A workload uid as the control plane names Address resources: `<cluster>/<group>/<kind>/<namespace>/<name>`-like, printable, no spaces. */
export const workloadUid: ValueParser<string> = {
  accepts: 'the uid of the waypoint\'s own Workload (its Address resource name), e.g. Kubernetes//Pod/demo/waypoint-0',
  parse: (text) => (text.length > 0 && text.length <= 512 && /^[\x21-\x7e]+$/.test(text) ? text : undefined),
};

export const ipAddress: ValueParser<string> = {
  accepts: 'an IPv4 or IPv6 address, e.g. 127.0.10.5',
  parse: (text) => (isIP(text) === 0 ? undefined : text),
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
  accepts: 'a port from 0 to 65535 (0: one picked by the system, for tests)',
  parse: (text) => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined),
};

export const duration: ValueParser<number> = {
  accepts: "a duration in Istio's format (units h, m, s, ms), e.g. 5s or 1500ms",
  parse(text) {
    const nanos = parseDurationNanos(text);
    return nanos === undefined ? undefined : Math.round(nanos / NANOS_PER_MS);
  },
};
