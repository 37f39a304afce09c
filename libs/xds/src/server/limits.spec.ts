import { describe, expect, it } from 'vitest';
import { XdsOptionError } from '../errors.js';
import { DEFAULT_SERVER_LIMITS, serverLimits } from './limits.js';

describe('serverLimits', () => {
  it('fills in the defaults', () => {
    expect(serverLimits({ maxStreams: 5 })).toEqual({ ...DEFAULT_SERVER_LIMITS, maxStreams: 5 });
  });

  it.each([
    [{ maxStreams: 0 }, 'limits.maxStreams = 0 must be a positive integer'],
    [{ ackTimeoutMs: 1.5 }, 'limits.ackTimeoutMs'],
    [{ maxNamesPerRequest: Number.NaN }, 'limits.maxNamesPerRequest'],
    [{ maxResponseBytes: 2048, maxSendBufferBytes: 1024 }, 'must be at least limits.maxResponseBytes (2048)'],
  ])('refuses %j', (limits, message) => {
    expect(() => serverLimits(limits)).toThrow(XdsOptionError);
    expect(() => serverLimits(limits)).toThrow(message);
  });
});
