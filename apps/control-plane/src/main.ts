import { ExitCode, isAmbitError } from '@ambit/errors';
import { createLogger, errorText, formatAddress, type Logger } from '@ambit/telemetry';
import { buildConfig, ConfigError, type ControlPlaneConfig } from './config/index.js';
import { ControlPlane } from './control-plane.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface MainOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where lines go (default standard error). */
  readonly write?: (line: string) => void;
}

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts the
 * control plane, and runs until SIGTERM or SIGINT, then drains and resolves with the
 * exit code. A second signal during the drain gets Node's default action (the process
 * ends at once), so an operator is never stuck behind a hung shutdown.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  let config: ControlPlaneConfig;
  try {
    config = buildConfig({ argv, env: options.env ?? process.env });
  } catch (error) {
    write(`control-plane: ${describe(error)}\n`);
    return error instanceof ConfigError ? ExitCode.Usage : ExitCode.Failed;
  }
  const log = createLogger({ level: config.logLevel, component: 'control-plane', write });
  const controlPlane = new ControlPlane(config, { log });
  // Listening before start, so that a signal during start-up also shuts down cleanly.
  const stopped = untilSignal(log);
  try {
    await controlPlane.start();
  } catch (error) {
    stopped.cancel();
    log.error(`cannot start: ${describe(error)}`);
    return ExitCode.Failed;
  }
  log.info('ready', { xds: formatAddress(controlPlane.addresses.xds), admin: formatAddress(controlPlane.addresses.admin) });
  await stopped.signal;
  const errors = await controlPlane.close();
  for (const error of errors) log.error(errorText(error));
  log.info(errors.length === 0 ? 'stopped' : 'stopped with errors');
  return errors.length === 0 ? ExitCode.Ok : ExitCode.Failed;
}

function untilSignal(log: Logger): { readonly signal: Promise<void>; cancel(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<void>((resolve) => {
    onSignal = (name) => {
      log.info(`${name} received; draining`);
      for (const other of SHUTDOWN_SIGNALS) process.off(other, onSignal);
      resolve();
    };
  });
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal);
  return {
    signal,
    cancel: () => {
      for (const name of SHUTDOWN_SIGNALS) process.off(name, onSignal);
    },
  };
}

function describe(error: unknown): string {
  if (isAmbitError(error)) return `${error.code}: ${error.describe()}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
