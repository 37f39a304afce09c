import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runConstantRate, type Clock } from './constant-rate.js';

/** Simulated time: sleeps and request service times are events; `run` advances to the next one whenever nothing else can happen. */
class SimulatedClock implements Clock {
  #t = 0;
  readonly #timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.#t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#timers.push({ at: this.#t + ms, resolve }));
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    void work.finally(() => (done = true));
    for (let steps = 0; !done && steps < 100_000; steps++) {
      await nextTurn();
      if (done || this.#timers.length === 0) continue;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.#t = Math.max(this.#t, next.at);
      next.resolve();
    }
    return work;
  }
}

describe('runConstantRate', () => {
  it('counts the wait behind a slow answer from the intended send time (no coordinated omission)', async () => {
    const clock = new SimulatedClock();
    // One lane, 1,000 requests/s offered (one per ms), each answered after 5 ms: request i is
    // meant for i ms, is sent when the lane frees at 5·i ms, and answered at 5·(i+1) ms.
    const result = await clock.run(runConstantRate({ ratePerSecond: 1000, durationMs: 20, lanes: 1, send: () => clock.sleep(5), clock }));
    expect(result).toMatchObject({ scheduled: 20, completed: 20, failed: 0, unfinished: 0 });
    const last = (5 * 20 - 19) * 1000;
    expect(result.latency.max).toBe(last);
    expect(result.latency.percentile(50)).toBeGreaterThan(5000 * 5);
    // A measurement from the actual send would have reported 5 ms for every request.
    expect(result.latency.percentile(1)).toBeGreaterThanOrEqual(5000);
    expect(result.latency.percentile(1)).toBeLessThanOrEqual(5050);
    expect(result.schedulerLag.max).toBe(0);
  });

  it('records the service time alone when a lane is always free', async () => {
    const clock = new SimulatedClock();
    const result = await clock.run(runConstantRate({ ratePerSecond: 1000, durationMs: 50, lanes: 8, send: () => clock.sleep(5), clock }));
    expect(result.completed).toBe(50);
    expect(result.latency.percentile(100)).toBe(5000);
    expect(result.latency.percentile(1)).toBe(5000);
  });

  it('keeps the schedule while answers are slow: sends do not wait for answers', async () => {
    const clock = new SimulatedClock();
    const sentAt: number[] = [];
    const result = await clock.run(
      runConstantRate({
        ratePerSecond: 100,
        durationMs: 100,
        lanes: 100,
        send: () => {
          sentAt.push(clock.now());
          return clock.sleep(250);
        },
        clock,
      }),
    );
    expect(sentAt).toEqual(Array.from({ length: 10 }, (_, i) => i * 10));
    expect(result.completed).toBe(10);
  });

  it('counts failures apart and returns the lane', async () => {
    const clock = new SimulatedClock();
    let n = 0;
    const result = await clock.run(
      runConstantRate({ ratePerSecond: 1000, durationMs: 10, lanes: 1, send: () => (n++ % 2 === 0 ? clock.sleep(0.1) : Promise.reject(new Error('reset'))), clock }),
    );
    expect(result).toMatchObject({ scheduled: 10, completed: 5, failed: 5, unfinished: 0 });
    expect(result.latency.count).toBe(5);
  });

  it('gives up on answers that never come once the drain times out, and says how many', async () => {
    const result = await runConstantRate({ ratePerSecond: 1000, durationMs: 3, lanes: 2, send: () => new Promise(() => undefined), drainTimeoutMs: 20 });
    expect(result).toMatchObject({ scheduled: 3, completed: 0, failed: 0, unfinished: 3 });
  });

  it.each([
    [{ ratePerSecond: 0 }, /ratePerSecond: 0 is not valid/],
    [{ durationMs: Number.NaN }, /durationMs: .* is not valid/],
    [{ lanes: 1.5 }, /lanes: 1.5 is not valid: expected an integer ≥ 1/],
  ])('refuses %o', async (bad, message) => {
    await expect(runConstantRate({ ratePerSecond: 10, durationMs: 10, lanes: 1, send: async () => undefined, ...bad })).rejects.toThrow(message);
  });
});
