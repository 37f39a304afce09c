import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_ON_POLICIES, checkHttpStatus, checkRetryOn } from './http-route.js';

describe('checkRetryOn', () => {
  it('accepts known conditions and status codes, comma-separated', () => {
    expect(checkRetryOn('gateway-error,connect-failure,refused-stream')).toEqual([]);
    expect(checkRetryOn('5xx,503,unavailable')).toEqual([]);
  });

  it('reports each unknown entry, and entries with spaces', () => {
    expect(checkRetryOn('5xx,retry-always,999')).toHaveLength(2);
    expect(checkRetryOn('5xx, reset')[0]).toContain('must not contain spaces');
    expect(checkRetryOn('')).toHaveLength(1);
  });

  it('accepts any list of known conditions', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...RETRY_ON_POLICIES), { minLength: 1 }), (list) => checkRetryOn(list.join(',')).length === 0));
  });
});

describe('checkHttpStatus', () => {
  it('accepts 200 to 599', () => {
    expect(checkHttpStatus(200)).toBeUndefined();
    expect(checkHttpStatus(599)).toBeUndefined();
    expect(checkHttpStatus(199)).toBeDefined();
    expect(checkHttpStatus(600)).toBeDefined();
  });
});
