const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a duration as Istio reads them (Go's time.ParseDuration: "30s", "1.5s",
 * "100ms", "1h30m"). Returns nanoseconds, or undefined when the text is not a duration.
 * Negative durations are never meaningful in Istio's API, so a sign is rejected.
 */
export function parseDurationNanos(text: string): number | undefined {
  if (text === '0') return 0;
  if (text.length === 0 || text.length > 64) return undefined;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const start = TERM.lastIndex;
    const match = TERM.exec(text);
    if (match === null || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_NANOS[match[2]!]!;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Istio's ValidateDuration: at least 1ms and a whole number of milliseconds. */
export function checkIstioDuration(nanos: number, options: { allowZero?: boolean } = {}): string | undefined {
  if (nanos === 0 && options.allowZero === true) return undefined;
  if (nanos < 1e6) return 'duration must be at least 1ms';
  if (nanos % 1e6 !== 0) return 'only durations to ms precision are supported';
  return undefined;
}
