import { describe, expect, it } from 'vitest';
import { outlier } from '../__support__/resources.js';
import { OutlierDetector } from './outlier-detector.js';

const E503 = { status: 503 };
const OK = { status: 200 };

describe('OutlierDetector', () => {
  it('ejects after consecutive 5xx, returns after base ejection time, and ejects longer the next time', () => {
    const d = new OutlierDetector(outlier({ consecutiveServerErrors: 3, intervalMs: 1000, baseEjectionTimeMs: 30_000 }));
    expect(d.report('a', E503, 0, 4)).toBe(false);
    d.report('a', { status: 500 }, 0, 4);
    expect(d.report('a', E503, 0, 4)).toBe(true);
    expect(d.isEjected('a')).toBe(true);
    expect(d.sweep(29_999)).toEqual([]);
    expect(d.sweep(30_000)).toEqual(['a']);
    expect(d.isEjected('a')).toBe(false);
    // Second ejection lasts twice as long.
    for (let i = 0; i < 3; i++) d.report('a', E503, 31_000, 4);
    expect(d.isEjected('a')).toBe(true);
    expect(d.sweep(31_000 + 59_999)).toEqual([]);
    expect(d.sweep(31_000 + 60_000)).toEqual(['a']);
  });

  it('resets the count on a success', () => {
    const d = new OutlierDetector(outlier({ consecutiveServerErrors: 2 }));
    d.report('a', E503, 0, 2);
    d.report('a', OK, 0, 2);
    expect(d.report('a', E503, 0, 2)).toBe(false);
  });

  it('counts gateway errors and local failures separately from other 5xx', () => {
    const d = new OutlierDetector(outlier({ consecutiveGatewayErrors: 2 }));
    d.report('a', { status: 500 }, 0, 2);
    expect(d.report('a', { status: 500 }, 0, 2)).toBe(false);
    d.report('a', { localFailure: true }, 0, 2);
    expect(d.report('a', { status: 504 }, 0, 2)).toBe(true);
  });

  it('never ejects beyond maxEjectionPercent', () => {
    const d = new OutlierDetector(outlier({ consecutiveServerErrors: 1, maxEjectionPercent: 50 }));
    expect(d.report('a', E503, 0, 4)).toBe(true);
    expect(d.report('b', E503, 0, 4)).toBe(true);
    expect(d.report('c', E503, 0, 4)).toBe(false);
    // Istio's default 10% ejects nothing among few hosts, as in Envoy.
    const strict = new OutlierDetector(outlier({ consecutiveServerErrors: 1, maxEjectionPercent: 10 }));
    expect(strict.report('a', E503, 0, 4)).toBe(false);
  });

  it('forgets hosts that left, with their ejection', () => {
    const d = new OutlierDetector(outlier({ consecutiveServerErrors: 1, maxEjectionPercent: 50 }));
    d.report('a', E503, 0, 2);
    d.retain(new Set(['b']));
    expect(d.isEjected('a')).toBe(false);
    expect(d.report('b', E503, 0, 2)).toBe(true);
  });

  it('forgives one step of backoff per healthy ejection period', () => {
    const d = new OutlierDetector(outlier({ consecutiveServerErrors: 1, baseEjectionTimeMs: 100 }));
    d.report('a', E503, 0, 1);
    d.sweep(100);
    d.sweep(200);
    d.report('a', E503, 200, 1);
    // Backoff was forgiven back to 0, so this ejection lasts 1 × base again.
    expect(d.sweep(300)).toEqual(['a']);
  });
});
