import { ExitCode, isAmbitError } from '@ambit/errors';
import { createLogger, errorText, type LogFields, type Logger, type LogLevel } from '@ambit/telemetry';
import type { Environment } from '../settings/raw-settings.js';
import { shutdownSignal } from './shutdown-signal.js';

/** What a process runs between start-up and shutdown. */
export interface ProcessService {
  start(): Promise<void>;
  /** The line logged once started (its message and fields). */
  startedLine(): readonly [message: string, fields: LogFields];
  /** Drains and stops; the errors met on the way make the exit code Failed. */
  close(): Promise<readonly unknown[]>;
}

export interface ProcessDefinition<C extends { readonly logLevel: LogLevel }> {
  /** The program's name: the prefix of a configuration error and the log's component. */
  readonly program: string;
  /** Builds the config from flags and AMBIT_* variables; throws on a bad one. */
  configure(input: { readonly argv: readonly string[]; readonly env: Environment }): C;
  /** The program's configuration error, which exits with Usage rather than Failed. */
  readonly configError: abstract new (...args: never[]) => Error;
  create(config: C, log: Logger): ProcessService;
}

export interface RunOptions {
  /** Default `process.env`. */
  readonly env?: Environment;
  /** Where lines go (default standard error). */
  readonly write?: (line: string) => void;
}

/**
 * The process entry: builds the config, starts the service, and runs until SIGTERM or
 * SIGINT; then drains and resolves with the exit code (Usage for a bad setting, Failed
 * when start-up or shutdown fails, else Ok).
 */
export async function runProcess<C extends { readonly logLevel: LogLevel }>(definition: ProcessDefinition<C>, argv: readonly string[], options: RunOptions = {}): Promise<ExitCode> {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  let config: C;
  try {
    config = definition.configure({ argv, env: options.env ?? process.env });
  } catch (error) {
    write(`${definition.program}: ${describe(error)}\n`);
    return error instanceof definition.configError ? ExitCode.Usage : ExitCode.Failed;
  }
  const log = createLogger({ level: config.logLevel, component: definition.program, write });
  const service = definition.create(config, log);
  // Listening before start, so that a signal during start-up also shuts down cleanly.
  const stopped = shutdownSignal(log);
  try {
    await service.start();
  } catch (error) {
    stopped.cancel();
    log.error(`cannot start: ${describe(error)}`);
    return ExitCode.Failed;
  }
  log.info(...service.startedLine());
  await stopped.received;
  const errors = await service.close();
  for (const error of errors) log.error(errorText(error));
  log.info(errors.length === 0 ? 'stopped' : 'stopped with errors');
  return errors.length === 0 ? ExitCode.Ok : ExitCode.Failed;
}

// A failure that ends the process: the code and hint of ours, the stack of anything else (a bug).
function describe(error: unknown): string {
  if (isAmbitError(error)) return `${error.code}: ${error.describe()}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
