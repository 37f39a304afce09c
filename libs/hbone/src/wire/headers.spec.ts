import { describe, expect, it } from 'vitest';
import { forwardedClientIp, forwardedFor, invalidHeaderValue } from './headers.js';

describe('forwarded', () => {
  it('writes the client as RFC 7239 does', () => {
    expect(forwardedFor('10.0.0.5')).toBe('for=10.0.0.5');
    expect(forwardedFor('fd00::5')).toBe('for="[fd00::5]"');
  });

  it.each([
    ['for=10.0.0.5', '10.0.0.5'],
    ['for="[fd00::5]"', 'fd00::5'],
    ['For=10.0.0.5;proto=tcp', '10.0.0.5'],
    ['proto=tcp; for=10.0.0.5', '10.0.0.5'],
    ['for=10.0.0.5:4711', '10.0.0.5'],
    ['for="[fd00::5]:4711"', 'fd00::5'],
    ['for=10.0.0.5, for=192.0.2.1', '10.0.0.5'],
    ['for=unknown', undefined],
    ['for=_hidden', undefined],
    ['by=10.0.0.1', undefined],
    ['for="[fd00::5"', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads the original client of %j', (header, ip) => {
    expect(forwardedClientIp(header)).toBe(ip);
  });
});

describe('invalidHeaderValue', () => {
  it('names the header whose value could smuggle another', () => {
    expect(invalidHeaderValue({ forwarded: 'for=10.0.0.5', baggage: 'a=b' })).toBeUndefined();
    expect(invalidHeaderValue({ traceparent: 'x\r\ny: z' })).toBe('traceparent');
    expect(invalidHeaderValue({ baggage: 'a\0' })).toBe('baggage');
    expect(invalidHeaderValue({ forwarded: 42 as unknown as string })).toBe('forwarded');
  });
});
