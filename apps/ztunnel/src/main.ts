import { ExitCode, isAmbitError } from '@ambit/errors';
import { createLogger, formatAddress, type Logger } from '@ambit/telemetry';
import { buildConfig, ConfigError, type ZtunnelConfig } from './config/index.js';
import { Ztunnel } from './ztunnel.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface MainOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where lines go (default standard error). */
  readonly write?: (line: string) => void;
}

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts
 * ztunnel, and runs until SIGTERM or SIGINT; then it stops accepting, lets open
 * connections finish until the drain timeout, and resolves with the exit code. A
 * second signal during the drain gets Node's default action (the process ends at once).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  let config: ZtunnelConfig;
  try {
    config = buildConfig({ argv, env: options.env ?? process.env });
  } catch (error) {
    write(`ztunnel: ${describe(error)}\n`);
    return error instanceof ConfigError ? ExitCode.Usage : ExitCode.Failed;
  }
  const log = createLogger({ level: config.logLevel, component: 'ztunnel', write });
  const ztunnel = new Ztunnel(config, { log });
  const stopped = untilSignal(log);
  try {
    await ztunnel.start();
  } catch (error) {
    stopped.cancel();
    log.error(`cannot start: ${describe(error)}`);
    return ExitCode.Failed;
  }
  const { admin, metrics, readiness } = ztunnel.addresses;
  log.info('started', { node: config.nodeName, xds: formatAddress(config.xdsAddress), admin: formatAddress(admin), metrics: formatAddress(metrics), readiness: formatAddress(readiness) });
  await stopped.signal;
  await ztunnel.close();
  log.info('stopped');
  return ExitCode.Ok;
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
