import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '../control-plane-process.js';
import { BenchStepError } from './errors.js';

const OUTPUT_KEPT = 16 * 1024;

/** A process the suite started and will stop by its pid, keeping its last output for error messages. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  #output = '';

  constructor(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.name = name;
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('error', (error) => keep(Buffer.from(`\n${error.message}\n`)));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new BenchStepError(this.name, 'did not start', this.#output);
    return this.child.pid;
  }

  get output(): string {
    return this.#output;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits until `check` holds, failing early (with the process's output) if it exits first. */
  async until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    try {
      await waitFor(
        async () => {
          if (this.exited) throw new BenchStepError(this.name, `exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}`, this.#output);
          return check();
        },
        what,
        timeoutMs,
      );
    } catch (error) {
      if (error instanceof BenchStepError) throw error;
      throw new BenchStepError(this.name, (error as Error).message, this.#output);
    }
  }

  /** Waits for the process to end by itself within `timeoutMs` (else kills it); a non-zero exit throws with its output. */
  async runToEnd(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const ended = this.exited ? Promise.resolve() : once(this.child, 'exit').then(() => undefined);
    const outcome = await Promise.race([ended, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.stop('SIGTERM', 5000);
      throw new BenchStepError(this.name, `did not finish within ${Math.round(timeoutMs / 1000)} s`, this.#output);
    }
    if (this.child.exitCode !== 0) throw new BenchStepError(this.name, `exited with ${this.child.exitCode ?? this.child.signalCode}`, this.#output);
  }

  /** Sends `signal` to this pid, then SIGKILL if it has not exited within `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([exited, killed.then(() => exited)]);
    clearTimeout(timer);
  }
}
