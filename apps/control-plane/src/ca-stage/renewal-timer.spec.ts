import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RenewalTimer } from './renewal-timer.js';

const DAY_MS = 24 * 3600 * 1000;

describe('RenewalTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews at the given time, also beyond what one timer can wait', () => {
    const renew = vi.fn();
    const timer = new RenewalTimer(renew, 1000);
    timer.schedule(new Date(45 * DAY_MS));
    vi.advanceTimersByTime(45 * DAY_MS - 1);
    expect(renew).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('waits at least the minimum for a time already past', () => {
    const renew = vi.fn();
    const timer = new RenewalTimer(renew, 1000);
    timer.schedule(new Date(-5000));
    vi.advanceTimersByTime(999);
    expect(renew).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('does nothing once cancelled', () => {
    const renew = vi.fn();
    const timer = new RenewalTimer(renew, 1000);
    timer.schedule(new Date(10_000));
    timer.cancel();
    vi.advanceTimersByTime(60_000);
    expect(renew).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
