import { performance } from 'node:perf_hooks';
import type { Clock } from './types.js';

/** The real clock: performance.now() and unref'd timers, so that no pending timer keeps a process alive. */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
