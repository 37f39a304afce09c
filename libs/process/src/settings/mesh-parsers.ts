import { dnsName, hostPort, type HostPort } from './parsers.js';
import type { ValueParser } from './value-parser.js';

// Settings every mesh proxy shares (ztunnel, waypoint): where the control plane is, which node and network, ports.

const anyHostPort = hostPort('127.0.0.1:15012');

/** The control plane's address: a port of 0 cannot be dialled. */
export const dialAddress: ValueParser<HostPort> = {
  accepts: 'host:port with a port from 1 to 65535, e.g. 127.0.0.1:15012 or istiod.istio-system.svc:15012',
  parse: (text) => {
    const address = anyHostPort.parse(text);
    return address !== undefined && address.port > 0 ? address : undefined;
  },
};

/** Kubernetes node names are DNS subdomains; the control plane puts them in Workload.node. */
export const nodeName: ValueParser<string> = {
  accepts: 'a Kubernetes node name (a lower-case DNS name), e.g. node-a',
  parse: (text) => dnsName.parse(text),
};

export const network: ValueParser<string> = {
  // Istio network names are free-form; "/" would make the (network/address) keys ambiguous.
  accepts: 'a network name without "/" (empty for a single-network mesh)',
  parse: (text) => (!text.includes('/') && text.trim() === text ? text : undefined),
};

export const port: ValueParser<number> = {
  accepts: 'a port from 0 to 65535 (0: one picked by the system, for tests)',
  parse: (text) => (/^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined),
};
