import { performance } from 'node:perf_hooks';
import { BenchInputError } from './errors.js';
import { Histogram } from './histogram.js';

/** Time as the scheduler sees it, in ms; tests drive a simulated one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ConstantRateOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Connections (or any carriers) that take one request at a time. */
  readonly lanes: number;
  /** Sends one request on `lane` and resolves when its answer is complete. */
  readonly send: (lane: number) => Promise<void>;
  /** How long to wait for requests still queued or in flight once the schedule has ended (default 5 s). */
  readonly drainTimeoutMs?: number;
  readonly clock?: Clock;
}

export interface ConstantRateResult {
  /** Per request, from its intended send time to its answer, µs. */
  readonly latency: Histogram;
  /** Per request, how late the scheduler's own timer released it (the generator's lateness, not the system's), µs. */
  readonly schedulerLag: Histogram;
  readonly scheduled: number;
  readonly completed: number;
  readonly failed: number;
  /** Scheduled but neither answered nor failed when the drain timed out. */
  readonly unfinished: number;
  readonly elapsedMs: number;
}

/**
 * Offers requests at a constant rate, whatever the system under test does, and measures
 * each one from the time it was meant to be sent: a request that waits because every
 * lane is still busy with a slow answer counts that wait (no coordinated omission, as
 * wrk2 and HdrHistogram's corrected recording do). The schedule never waits for answers;
 * requests queue in order for the next free lane. The only time not counted is the
 * generator's own timer firing late (Node's timers have millisecond resolution): a
 * request is measured from when its timer released it, and that lateness is reported
 * apart in `schedulerLag`.
 */
export async function runConstantRate(options: ConstantRateOptions): Promise<ConstantRateResult> {
  const { ratePerSecond, durationMs, lanes, send } = options;
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new BenchInputError('ratePerSecond', ratePerSecond, 'a finite number > 0');
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) throw new BenchInputError('durationMs', durationMs, 'a finite number > 0');
  if (!Number.isInteger(lanes) || lanes < 1) throw new BenchInputError('lanes', lanes, 'an integer ≥ 1');
  const clock = options.clock ?? realClock;
  const latency = new Histogram();
  const schedulerLag = new Histogram();
  const idle = Array.from({ length: lanes }, (_, lane) => lane);
  const queue: number[] = [];
  let queueHead = 0;
  let inFlight = 0;
  let completed = 0;
  let failed = 0;
  let onIdle: (() => void) | undefined;

  const dispatch = (): void => {
    while (idle.length > 0 && queueHead < queue.length) {
      const lane = idle.shift()!;
      const reference = queue[queueHead++]!;
      inFlight++;
      send(lane).then(
        () => {
          latency.record(Math.max(0, clock.now() - reference) * 1000);
          completed++;
        },
        () => {
          failed++;
        },
      ).finally(() => {
        inFlight--;
        idle.push(lane);
        dispatch();
        if (inFlight === 0 && queueHead === queue.length) onIdle?.();
      });
    }
  };

  const total = Math.max(1, Math.floor((durationMs * ratePerSecond) / 1000));
  const interval = 1000 / ratePerSecond;
  const start = clock.now();
  for (let i = 0; i < total; i++) {
    const intended = start + i * interval;
    const now = clock.now();
    if (intended > now) await clock.sleep(intended - now);
    const released = Math.max(intended, clock.now());
    schedulerLag.record((released - intended) * 1000);
    queue.push(released);
    dispatch();
  }

  if (inFlight > 0 || queueHead < queue.length) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (onIdle = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainTimeoutMs ?? 5000))),
    ]);
    clearTimeout(timer);
  }
  return { latency, schedulerLag, scheduled: total, completed, failed, unfinished: total - completed - failed, elapsedMs: clock.now() - start };
}
