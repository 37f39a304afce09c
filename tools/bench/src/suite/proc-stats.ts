import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times (100 on Linux unless configured otherwise). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).stdout?.trim()) || 100;

/**
 * User plus system CPU seconds a process has used so far, from /proc/<pid>/stat (fields
 * 14 and 15, counted after the command name, which may itself hold spaces or parentheses).
 * Read from outside, so it works for any process: a ztunnel, haproxy, nginx.
 */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0: utime (14) is index 11, stime (15) index 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds each of `pids` uses while `work` runs, with the work's own result and its wall time. */
export async function measureCpu<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number[]; wallSeconds: number }> {
  const before = await Promise.all(pids.map(cpuSecondsOf));
  const start = process.hrtime.bigint();
  const result = await work();
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = await Promise.all(pids.map(cpuSecondsOf));
  return { result, cpuSeconds: after.map((value, index) => value - before[index]!), wallSeconds };
}
