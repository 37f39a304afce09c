import { AmbitError } from '@ambit/errors';

/**
 * One stage of the control plane's pipeline (provider → model → translator → xDS
 * server, and the CA and status beside them). Stages are joined by what they publish,
 * never by reaching into each other; this is all that main needs to run them.
 */
export interface Runner {
  /** Names the stage in errors and logs, e.g. `file-provider`. */
  readonly name: string;
  /**
   * Resolves once the stage serves (its initial state is loaded, its ports are bound).
   * A stage that cannot start rejects with a typed error saying what to fix.
   */
  start(): Promise<void>;
  /** Stops the stage and releases everything it holds. Safe to call more than once, and before start. */
  close(): Promise<void>;
}

export interface RunnerTimeouts {
  /** How long one stage may take to start (default 30 s). */
  readonly startTimeoutMs?: number;
  /** How long one stage may take to close (default 10 s). */
  readonly closeTimeoutMs?: number;
}

export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

/** A stage failed to start; the stages started before it have been closed again. */
export class StageStartError extends AmbitError {
  readonly stage: string;
  /** Stages that then failed to close: something may still be held (a port, a watcher). */
  readonly closeErrors: readonly StageCloseError[];

  constructor(stage: string, cause: unknown, closeErrors: readonly StageCloseError[]) {
    const reason = cause instanceof AmbitError ? cause.describe() : cause instanceof Error ? cause.message : String(cause);
    const unclosed = closeErrors.length === 0 ? '' : `; ${closeErrors.map((e) => e.stage).join(', ')} then failed to close`;
    super('AMBIT_ERR_CP_STAGE_START', `control-plane stage ${stage} failed to start: ${reason}${unclosed}`, {
      hint: 'the stages started before it were closed again; fix the cause and start again',
      cause,
    });
    this.stage = stage;
    this.closeErrors = closeErrors;
  }
}

/** A stage failed to close, or did not finish closing in time. */
export class StageCloseError extends AmbitError {
  readonly stage: string;

  constructor(stage: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_CP_STAGE_CLOSE', `control-plane stage ${stage} failed to close: ${reason}`, { cause });
    this.stage = stage;
  }
}

/** A stage's start or close did not settle within its deadline. */
export class StageTimeoutError extends AmbitError {
  readonly stage: string;

  constructor(stage: string, step: 'start' | 'close', timeoutMs: number) {
    super('AMBIT_ERR_CP_STAGE_TIMEOUT', `control-plane stage ${stage} did not ${step} within ${timeoutMs} ms`, {
      hint: step === 'start' ? 'is a file system or network peer it depends on hanging?' : 'something it waits for did not finish draining',
    });
    this.stage = stage;
  }
}

/** A stage was asked to start after it was closed, or was closed while starting. */
export class StageClosedError extends AmbitError {
  readonly stage: string;

  constructor(stage: string) {
    super('AMBIT_ERR_CP_STAGE_CLOSED', `control-plane stage ${stage} was closed before it finished starting`, {
      hint: 'a closed stage cannot be restarted; create a new one',
    });
    this.stage = stage;
  }
}

/**
 * Starts stages in order, each after the previous one is ready. If one fails (or does
 * not start in time), every stage started so far is closed in reverse order — the
 * failing one too, since close is idempotent and a start that timed out may still be
 * acquiring — and a StageStartError naming the failed stage is thrown.
 */
export async function startRunners(runners: readonly Runner[], timeouts: RunnerTimeouts = {}): Promise<void> {
  const startTimeoutMs = timeouts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  for (const [index, runner] of runners.entries()) {
    try {
      await withDeadline(runner.start(), startTimeoutMs, () => new StageTimeoutError(runner.name, 'start', startTimeoutMs));
    } catch (error) {
      const closeErrors = await closeEach(runners.slice(0, index + 1).reverse(), timeouts);
      throw new StageStartError(runner.name, error, closeErrors);
    }
  }
}

/**
 * Closes stages in reverse order (the last started first, so that no stage outlives
 * the ones it feeds from). It never throws: shutdown must reach every stage, so each
 * failure is collected and returned for the caller to report; empty when all closed.
 */
export async function closeRunners(runners: readonly Runner[], timeouts: RunnerTimeouts = {}): Promise<readonly StageCloseError[]> {
  return closeEach([...runners].reverse(), timeouts);
}

async function closeEach(runners: readonly Runner[], timeouts: RunnerTimeouts): Promise<StageCloseError[]> {
  const closeTimeoutMs = timeouts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const errors: StageCloseError[] = [];
  for (const runner of runners) {
    try {
      await withDeadline(runner.close(), closeTimeoutMs, () => new StageTimeoutError(runner.name, 'close', closeTimeoutMs));
    } catch (error) {
      errors.push(new StageCloseError(runner.name, error));
    }
  }
  return errors;
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
