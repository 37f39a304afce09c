import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debouncer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Debouncer', () => {
  it('runs once after a burst goes quiet', () => {
    const run = vi.fn();
    const debouncer = new Debouncer(run, { quietMs: 100, maxDelayMs: 1000 });
    for (let i = 0; i < 5; i++) {
      debouncer.poke();
      vi.advanceTimersByTime(50);
    }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(run).toHaveBeenCalledOnce();
  });

  it('runs by the cap however long the pokes go on', () => {
    const run = vi.fn();
    const debouncer = new Debouncer(run, { quietMs: 100, maxDelayMs: 300 });
    for (let i = 0; i < 10; i++) {
      debouncer.poke();
      vi.advanceTimersByTime(60);
    }
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs nothing once cancelled', () => {
    const run = vi.fn();
    const debouncer = new Debouncer(run, { quietMs: 100, maxDelayMs: 300 });
    debouncer.poke();
    debouncer.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).not.toHaveBeenCalled();
  });
});
