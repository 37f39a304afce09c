import { describe, expect, it } from 'vitest';
import { seededRandom } from '../__support__/resources.js';
import { decideFault, grpcStatusCode } from './fault.js';

describe('fault injection', () => {
  it('delays and aborts with their own percentages', () => {
    const fault = { delay: { fixedDelayMs: 100, percent: 30 }, abort: { error: 'httpStatus' as const, httpStatus: 503, percent: 20 } };
    const random = seededRandom(7);
    let delayed = 0;
    let aborted = 0;
    for (let i = 0; i < 10_000; i++) {
      const decision = decideFault(fault, random);
      if (decision.delayMs === 100) delayed++;
      if (decision.abort?.kind === 'http' && decision.abort.status === 503) aborted++;
    }
    expect(delayed / 10_000).toBeCloseTo(0.3, 1);
    expect(aborted / 10_000).toBeCloseTo(0.2, 1);
  });

  it('always fires at 100 percent and never at 0', () => {
    const always = decideFault({ delay: { fixedDelayMs: 5, percent: 100 }, abort: { error: 'grpcStatus', grpcStatus: 'UNAVAILABLE', percent: 100 } }, () => 0.999);
    expect(always).toEqual({ delayMs: 5, abort: { kind: 'grpc', code: 14 } });
    expect(decideFault({ delay: { fixedDelayMs: 5, percent: 0 }, abort: null }, () => 0)).toEqual({ delayMs: 0, abort: undefined });
  });

  it('knows gRPC status names', () => {
    expect(grpcStatusCode('unavailable')).toBe(14);
    expect(grpcStatusCode('8')).toBe(8);
    expect(grpcStatusCode('NOPE')).toBeUndefined();
  });
});
