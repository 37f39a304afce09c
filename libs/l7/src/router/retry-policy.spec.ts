import { describe, expect, it } from 'vitest';
import { retries, seededRandom } from '../__support__/resources.js';
import { RetryPolicy } from './retry-policy.js';

describe('RetryPolicy', () => {
  it.each([
    [['5xx'], [500, 502, 503, 504], [409, 404, 200]],
    [['gateway-error'], [502, 503, 504], [500, 409]],
    [['retriable-4xx'], [409], [400, 503]],
    [['retriable-status-codes'], [418], [503]],
    [['connect-failure'], [], [503, 500]],
  ])('%j retries %j and not %j', (retryOn, yes, no) => {
    const policy = new RetryPolicy(retries({ retryOn, retriableStatusCodes: [418] }));
    for (const status of yes) expect(policy.retriesStatus(status)).toBe(true);
    for (const status of no) expect(policy.retriesStatus(status)).toBe(false);
  });

  it('retries gRPC conditions on grpc-status', () => {
    const policy = new RetryPolicy(retries({ retryOn: ['unavailable', 'cancelled'] }));
    expect(policy.retriesStatus(200, '14')).toBe(true);
    expect(policy.retriesStatus(200, '1')).toBe(true);
    expect(policy.retriesStatus(200, '13')).toBe(false);
  });

  it('retries failures as Envoy does', () => {
    const connect = new RetryPolicy(retries({ retryOn: ['connect-failure'] }));
    expect(connect.retriesFailure('connect-failure')).toBe(true);
    expect(connect.retriesFailure('reset')).toBe(false);
    expect(connect.retriesFailure('per-try-timeout')).toBe(false);
    const gateway = new RetryPolicy(retries({ retryOn: ['gateway-error'] }));
    for (const failure of ['connect-failure', 'reset', 'protocol-error', 'per-try-timeout'] as const) expect(gateway.retriesFailure(failure)).toBe(true);
    const reset = new RetryPolicy(retries({ retryOn: ['reset'] }));
    expect(reset.retriesFailure('reset')).toBe(true);
    expect(reset.retriesFailure('per-try-timeout')).toBe(false);
    const codes = new RetryPolicy(retries({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [504] }));
    expect(codes.retriesFailure('per-try-timeout')).toBe(true);
  });

  it("backs off as Envoy's jittered exponential: [0, (2^n-1) × 25 ms), capped at 250 ms", () => {
    const policy = new RetryPolicy(retries({ backoffMs: 0 }));
    const random = seededRandom(3);
    const max = [0, 0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) for (let n = 1; n <= 5; n++) max[n - 1] = Math.max(max[n - 1]!, policy.backoffMs(n, random));
    expect(max[0]).toBeLessThan(25);
    expect(max[0]).toBeGreaterThan(20);
    expect(max[1]).toBeLessThan(75);
    expect(max[1]).toBeGreaterThan(60);
    expect(max[2]).toBeLessThan(175);
    expect(max[4]).toBeLessThan(250);
    expect(max[4]).toBeGreaterThan(200);
    expect(policy.backoffMs(1, () => 0.999)).toBe(24);
  });
});
