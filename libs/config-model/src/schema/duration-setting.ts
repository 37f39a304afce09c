import { parseDurationNanos } from './duration.js';

const NANOS_PER_MS = 1e6;

/**
 * A duration given as a setting (a flag or AMBIT_* variable) in Istio's format, as whole
 * milliseconds; the shape of @ambit/process's `ValueParser`, so `Settings.read` takes it as is.
 */
export const durationMsSetting = {
  accepts: "a duration in Istio's format (units h, m, s, ms), e.g. 5s or 1500ms",
  parse(text: string): number | undefined {
    const nanos = parseDurationNanos(text);
    return nanos === undefined ? undefined : Math.round(nanos / NANOS_PER_MS);
  },
} as const;
