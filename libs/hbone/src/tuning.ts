import type { Settings } from 'node:http2';

/**
 * HTTP/2 flow control for HBONE. Each tunnel is one long-lived bulk stream; with the
 * protocol's defaults (64 KiB windows, 16 KiB frames) a sender stops after 64 KiB and
 * waits a round trip for WINDOW_UPDATE, and Node spends its time on frame headers and
 * window bookkeeping. Istio's ztunnel uses the values of `TUNED_HTTP2`; the benchmark
 * (docs/benchmarks.md) measures them against the defaults.
 */
export interface Http2Tuning {
  /** Per-stream receive window advertised in SETTINGS (INITIAL_WINDOW_SIZE). */
  readonly streamWindowBytes: number;
  /**
   * Connection receive window, shared by all streams. Larger than one stream's so that a
   * stream whose reader is slow cannot stall the others on the same connection (ztunnel:
   * 4× the stream window).
   */
  readonly connectionWindowBytes: number;
  /** Largest DATA frame this end accepts (SETTINGS_MAX_FRAME_SIZE). */
  readonly maxFrameBytes: number;
}

export const TUNED_HTTP2: Http2Tuning = {
  streamWindowBytes: 4 * 1024 * 1024,
  connectionWindowBytes: 16 * 1024 * 1024,
  maxFrameBytes: 1024 * 1024,
};

/** The protocol's own defaults, which Node uses unless told otherwise (for comparison). */
export const DEFAULT_HTTP2: Http2Tuning = {
  streamWindowBytes: 65535,
  connectionWindowBytes: 65535,
  maxFrameBytes: 16384,
};

const MAX_WINDOW = 2 ** 31 - 1;
const MIN_FRAME = 16384;
const MAX_FRAME = 2 ** 24 - 1;

/** The tuning's problem, or undefined: each value must be one HTTP/2 allows. */
export function checkTuning(tuning: Http2Tuning): string | undefined {
  const { streamWindowBytes, connectionWindowBytes, maxFrameBytes } = tuning;
  if (!Number.isInteger(streamWindowBytes) || streamWindowBytes < 1 || streamWindowBytes > MAX_WINDOW) return `streamWindowBytes must be 1–${MAX_WINDOW}`;
  if (!Number.isInteger(connectionWindowBytes) || connectionWindowBytes < 65535 || connectionWindowBytes > MAX_WINDOW) {
    return `connectionWindowBytes must be 65535–${MAX_WINDOW}`;
  }
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < MIN_FRAME || maxFrameBytes > MAX_FRAME) return `maxFrameBytes must be ${MIN_FRAME}–${MAX_FRAME}`;
  return undefined;
}

/** The SETTINGS both ends advertise; the connection window is set on the session. */
export function http2Settings(tuning: Http2Tuning, extra: Settings): Settings {
  return { ...extra, enablePush: false, initialWindowSize: tuning.streamWindowBytes, maxFrameSize: tuning.maxFrameBytes };
}

/**
 * Node's per-session memory cap (MiB), over which it refuses new streams. It must hold
 * a full connection window of unread data plus what is queued to send, or a busy
 * connection would refuse tunnels for reasons that are not the peer's fault.
 */
export function sessionMemoryMiB(tuning: Http2Tuning): number {
  return Math.max(10, Math.ceil((2 * tuning.connectionWindowBytes) / (1024 * 1024)) + 8);
}
