import { durationMsSetting } from '@ambit/config-model';
import { spiffeIdSetting } from '@ambit/crypto';
import { hostPort, type ValueParser } from '@ambit/process';

// ztunnel's own settings; the ones every proxy shares are @ambit/process's (addresses, node, network, ports), @ambit/crypto's and @ambit/config-model's.
export { dialAddress, network, nodeName, port } from '@ambit/process';
export const spiffeId = spiffeIdSetting;
export const duration = durationMsSetting;

export const listenAddress = hostPort('127.0.0.1:15000, 0.0.0.0:15020 or [::1]:15021');

export type CaptureMode = 'none' | 'netns';

export const captureMode: ValueParser<CaptureMode> = {
  accepts: 'none (local mode) or netns (in-pod capture in network namespaces; root)',
  parse: (text) => (text === 'none' || text === 'netns' ? text : undefined),
};

/** An absolute path naming the pod by `{name}` (and, usually, `{namespace}`): one namespace per pod. */
export const podNetnsTemplate: ValueParser<string> = {
  accepts: 'an absolute path with {name} (and {namespace}) in it, e.g. /var/run/netns/amb-demo-p-{namespace}.{name}',
  parse: (text) => (text.startsWith('/') && text.includes('{name}') && !text.includes('\0') ? text : undefined),
};
