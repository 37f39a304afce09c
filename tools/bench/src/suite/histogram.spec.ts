import { describe, expect, it } from 'vitest';
import { BenchInputError } from './errors.js';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('reports percentiles within 1% of the exact values', () => {
    const histogram = new Histogram();
    for (let us = 1; us <= 10_000; us++) histogram.record(us);
    for (const [p, exact] of [[50, 5000], [90, 9000], [99, 9900], [99.9, 9990]] as const) {
      expect(Math.abs(histogram.percentile(p) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(histogram.percentile(100)).toBe(10_000);
    expect(histogram.count).toBe(10_000);
    expect(histogram.mean).toBeCloseTo(5000.5, 6);
  });

  it('keeps a rare outlier visible in the tail and exact as the max', () => {
    const histogram = new Histogram();
    for (let i = 0; i < 999; i++) histogram.record(100);
    histogram.record(250_000);
    expect(histogram.percentile(99)).toBeCloseTo(100, -1);
    expect(histogram.percentile(99.95)).toBe(250_000);
    expect(histogram.max).toBe(250_000);
  });

  it('counts values below 1 µs as 1 µs and values beyond its range in the top bucket', () => {
    const histogram = new Histogram();
    histogram.record(0);
    histogram.record(0.3);
    histogram.record(5e12);
    expect(histogram.percentile(50)).toBeLessThanOrEqual(1);
    expect(histogram.percentile(100)).toBe(5e12);
  });

  it('merges another histogram', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 0; i < 100; i++) a.record(10);
    for (let i = 0; i < 100; i++) b.record(1000);
    a.merge(b);
    a.merge(new Histogram());
    expect(a.count).toBe(200);
    expect(a.percentile(25)).toBeCloseTo(10, 0);
    expect(a.percentile(75)).toBeCloseTo(1000, -1);
  });

  it('is NaN when empty', () => {
    const histogram = new Histogram();
    expect(histogram.percentile(50)).toBeNaN();
    expect(histogram.max).toBeNaN();
    expect(histogram.mean).toBeNaN();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s as a latency, naming it', (value) => {
    expect(() => new Histogram().record(value)).toThrow(BenchInputError);
    expect(() => new Histogram().record(value)).toThrow(/latency \(µs\)/);
  });

  it.each([0, -5, 101, Number.NaN])('refuses percentile %s', (p) => {
    expect(() => new Histogram().percentile(p)).toThrow(/percentile: .* expected a number in \(0, 100\]/);
  });
});
