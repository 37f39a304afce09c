import { parseDurationNanos } from '@ambit/config-model';
import { hostPort, type ValueParser } from '@ambit/process';

// The control plane's own settings; the generic ones (DNS names, files, log level) are
// @ambit/process's. The model's rules (Kubernetes' DNS-1123 names) are checked here too so
// that a bad value fails at the flag that gave it rather than deep in a stage.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NANOS_PER_MS = 1e6;
// Both providers push at most 500 ms after the first change of a burst, so a longer quiet time would mean nothing.
const MAX_DEBOUNCE_MS = 500;
/** Certificates have whole-second validity, so a shorter TTL would issue empty certificates. */
const MIN_TTL_MS = 1000;

export const namespaceName: ValueParser<string> = {
  accepts: 'a namespace name (lower-case letters, digits and "-", at most 63 characters), e.g. istio-system',
  parse: (text) => (DNS_LABEL.test(text) && text.length <= 63 ? text : undefined),
};

export const clusterId: ValueParser<string> = {
  // Workload uids are `<clusterId>/<group>/<kind>/...`; a slash would make them ambiguous.
  accepts: 'a non-empty name without "/", e.g. Kubernetes',
  parse: (text) => (text !== '' && !text.includes('/') && text.trim() === text ? text : undefined),
};

export const listenAddress = hostPort('127.0.0.1:15012, 0.0.0.0:15012 or [::1]:15012');

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

/** Where the mesh's resources come from. */
export type ProviderKind = 'file' | 'kubernetes';

export const providerKind: ValueParser<ProviderKind> = {
  accepts: 'file (a directory of YAML) or kubernetes (the API server in the kubeconfig)',
  parse: (text) => (text === 'file' || text === 'kubernetes' ? text : undefined),
};
