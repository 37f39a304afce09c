import { isIP } from 'node:net';
import { durationMsSetting } from '@ambit/config-model';
import { spiffeIdSetting } from '@ambit/crypto';
import { hostPort, type ValueParser } from '@ambit/process';

// The proxies' own settings; the ones every dataplane program shares are @ambit/process's (addresses, node, network, ports), @ambit/crypto's and @ambit/config-model's.
export { dialAddress, network, nodeName, port } from '@ambit/process';
export const spiffeId = spiffeIdSetting;
export const duration = durationMsSetting;

export const listenAddress = hostPort('127.0.0.1:15000, 0.0.0.0:15020 or [::1]:15021');

/** A workload uid as the control plane names Address resources: `<cluster>/<group>/<kind>/<namespace>/<name>`-like, printable, no spaces. */
export const workloadUid: ValueParser<string> = {
  accepts: "the uid of the proxy's own Workload (its Address resource name), e.g. Kubernetes//Pod/demo/waypoint-0",
  parse: (text) => (text.length > 0 && text.length <= 512 && /^[\x21-\x7e]+$/.test(text) ? text : undefined),
};

export const ipAddress: ValueParser<string> = {
  accepts: 'an IPv4 or IPv6 address, e.g. 127.0.10.5',
  parse: (text) => (isIP(text) === 0 ? undefined : text),
};
