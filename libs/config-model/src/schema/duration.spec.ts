import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMsSetting } from './duration-setting.js';
import { checkIstioDuration, parseDurationNanos } from './duration.js';

describe('parseDurationNanos', () => {
  it.each([
    ['30s', 30e9],
    ['1.5s', 1.5e9],
    ['100ms', 100e6],
    ['1h', 3600e9],
    ['1h30m', 5400e9],
    ['2m0.5s', 120.5e9],
    ['250us', 250e3],
    ['250µs', 250e3],
    ['10ns', 10],
    ['.5s', 0.5e9],
    ['0', 0],
    ['0s', 0],
  ])('reads %s', (text, nanos) => {
    expect(parseDurationNanos(text)).toBe(nanos);
  });

  it.each(['', '30', 's', '1d', '-1s', '+1s', '1 s', '1s ', '1.s.', '1sx', 'ms', '1e3s', '1,5s'])('rejects %j', (text) => {
    expect(parseDurationNanos(text)).toBeUndefined();
  });

  it('reads back any whole-millisecond duration written as h/m/s/ms terms', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
        const text = `${h}h${m}m${s}s${ms}ms`;
        expect(parseDurationNanos(text)).toBe(((h * 3600 + m * 60 + s) * 1000 + ms) * 1e6);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      parseDurationNanos(text);
    }));
  });
});

describe('checkIstioDuration', () => {
  it('requires at least 1ms and whole milliseconds, as Istio does', () => {
    expect(checkIstioDuration(1e6)).toBeUndefined();
    expect(checkIstioDuration(0)).toBe('duration must be at least 1ms');
    expect(checkIstioDuration(0, { allowZero: true })).toBeUndefined();
    expect(checkIstioDuration(500e3)).toBe('duration must be at least 1ms');
    expect(checkIstioDuration(1.5e6)).toBe('only durations to ms precision are supported');
  });
});

describe('durationMsSetting', () => {
  it('reads a setting in Istio\'s duration format as whole milliseconds', () => {
    expect(durationMsSetting.parse('5s')).toBe(5000);
    expect(durationMsSetting.parse('1500ms')).toBe(1500);
    expect(durationMsSetting.parse('1.0004ms')).toBe(1);
    for (const bad of ['', '5', '-1s', '5 s']) expect(durationMsSetting.parse(bad)).toBeUndefined();
  });
});
