import { describe, expect, it } from 'vitest';
import { checkTuning, DEFAULT_HTTP2, http2Settings, sessionMemoryMiB, TUNED_HTTP2 } from './tuning.js';

describe('HTTP/2 tuning', () => {
  it('accepts the tuned values and the protocol defaults', () => {
    expect(checkTuning(TUNED_HTTP2)).toBeUndefined();
    expect(checkTuning(DEFAULT_HTTP2)).toBeUndefined();
  });

  it.each([
    [{ ...TUNED_HTTP2, streamWindowBytes: 0 }, /streamWindowBytes/],
    [{ ...TUNED_HTTP2, streamWindowBytes: 2 ** 31 }, /streamWindowBytes/],
    [{ ...TUNED_HTTP2, connectionWindowBytes: 1000 }, /connectionWindowBytes/],
    [{ ...TUNED_HTTP2, maxFrameBytes: 16383 }, /maxFrameBytes/],
    [{ ...TUNED_HTTP2, maxFrameBytes: 2 ** 24 }, /maxFrameBytes/],
    [{ ...TUNED_HTTP2, maxFrameBytes: 16384.5 }, /maxFrameBytes/],
  ])('refuses values HTTP/2 does not allow (%#)', (tuning, message) => {
    expect(checkTuning(tuning)).toMatch(message);
  });

  it('advertises the windows and frame size, and never server push', () => {
    expect(http2Settings(TUNED_HTTP2, { maxConcurrentStreams: 200 })).toEqual({
      maxConcurrentStreams: 200,
      enablePush: false,
      initialWindowSize: 4 * 1024 * 1024,
      maxFrameSize: 1024 * 1024,
    });
  });

  it('lets a session hold a full connection window of unread data', () => {
    expect(sessionMemoryMiB(TUNED_HTTP2) * 1024 * 1024).toBeGreaterThan(2 * TUNED_HTTP2.connectionWindowBytes);
    expect(sessionMemoryMiB(DEFAULT_HTTP2)).toBe(10);
  });
});
