import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { BenchStepError } from './errors.js';
import type { OriginConfig } from './origin-process.js';

/** The origin process (`origin-process.ts`), started and stopped by the suite. */
export class Origin {
  readonly config: OriginConfig;
  readonly #child: ChildProcess;

  private constructor(config: OriginConfig, child: ChildProcess) {
    this.config = config;
    this.#child = child;
  }

  static async start(config: OriginConfig, timeoutMs = 15_000): Promise<Origin> {
    const child = fork(new URL('./origin-process.js', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(config);
    let timer: NodeJS.Timeout | undefined;
    const exited = once(child, 'exit').then(([code]) =>
      Promise.reject(new BenchStepError('origin', `exited (${code}) before listening on ${config.tcp.ip}:${config.tcp.port} and ${config.http.ip}:${config.http.port}`)),
    );
    exited.catch(() => undefined);
    try {
      await Promise.race([
        once(child, 'message'),
        exited,
        new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new BenchStepError('origin', `not listening after ${timeoutMs} ms`)), timeoutMs))),
      ]);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new Origin(config, child);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.disconnect();
    await exited;
  }
}
