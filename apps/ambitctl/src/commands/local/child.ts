import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Writer {
  write(text: string): unknown;
}

/** Lines longer than this are cut (and the rest passed on as a line of its own), so a child cannot make ambitctl buffer without bound. */
const MAX_LINE = 64 * 1024;
/** How many of its last lines are kept to explain a child's death. */
const LAST_LINES = 20;
/** How long a killed child may take to be reaped. */
const REAP_MS = 2000;

/**
 * One component of the local mesh, run as a child process whose output is forwarded
 * line by line with its name as prefix (`[ztunnel node-a] …`): standard output to
 * ambitctl's, standard error to ambitctl's. It runs in a process group of its own, so
 * that a terminal's Ctrl-C reaches ambitctl alone, which then stops each child with one
 * SIGTERM (the components treat a second signal as "stop now", which would cut their drain).
 */
export class ManagedChild {
  readonly name: string;
  /** Resolves when the process has ended and its output has been forwarded. */
  readonly exited: Promise<ChildExit>;
  readonly #process: ChildProcess;
  readonly #lastLines: string[] = [];
  #exit: ChildExit | undefined;

  constructor(name: string, command: string, args: readonly string[], out: { readonly stdout: Writer; readonly stderr: Writer }) {
    this.name = name;
    this.#process = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const forward = (writer: Writer): ((line: string) => void) => (line) => {
      this.#lastLines.push(line.length > 1000 ? `${line.slice(0, 1000)}…` : line);
      if (this.#lastLines.length > LAST_LINES) this.#lastLines.shift();
      writer.write(`[${name}] ${line}\n`);
    };
    const flushers = [lines(this.#process.stdout!, forward(out.stdout)), lines(this.#process.stderr!, forward(out.stderr))];
    this.exited = new Promise((resolve) => {
      this.#process.once('error', (error) => {
        // Spawning failed (no such program…): no 'close' follows.
        if (this.#process.pid === undefined) {
          this.#lastLines.push(error.message);
          this.#exit = { code: null, signal: null };
          resolve(this.#exit);
        }
      });
      this.#process.once('close', (code, signal) => {
        for (const flush of flushers) flush();
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  /** The process id; 0 when it could not be started. */
  get pid(): number {
    return this.#process.pid ?? 0;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Its last lines of output (for the report of an unexpected exit). */
  lastLines(): readonly string[] {
    return [...this.#lastLines];
  }

  /** Ends it now (SIGKILL), for a user who will not wait for the drain. */
  kill(): void {
    if (this.#exit === undefined) this.#process.kill('SIGKILL');
  }

  /** SIGTERM (it drains), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs: number): Promise<ChildExit> {
    if (this.#exit !== undefined) return this.#exit;
    this.#process.kill('SIGTERM');
    if (await settlesWithin(this.exited, graceMs)) return this.exited;
    this.#process.kill('SIGKILL');
    await settlesWithin(this.exited, REAP_MS);
    return this.#exit ?? { code: null, signal: 'SIGKILL' };
  }
}

/** How a child ended, in words. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  if (exit.code === null) return 'could not be started';
  return `exited with code ${exit.code}`;
}

/** Calls `onLine` for each line of `stream`; returns what passes on a last line without newline. */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): () => void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) onLine(line);
    while (partial.length > MAX_LINE) {
      onLine(partial.slice(0, MAX_LINE));
      partial = partial.slice(MAX_LINE);
    }
  });
  return () => {
    if (partial !== '') onLine(partial);
    partial = '';
  };
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}
