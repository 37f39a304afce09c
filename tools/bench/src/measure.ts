import { performance } from 'node:perf_hooks';

/** Median wall time of `runs` calls, after one warm-up call. */
export function medianMs(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Heap retained by what `build` returns, measured around a forced GC (needs --expose-gc). */
export function retainedBytes(build: () => unknown): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) return undefined;
  return after - before;
}
