import type { ExitCode } from '@ambit/errors';
import { runProcess, type RunOptions } from '@ambit/process';
import { formatAddress } from '@ambit/telemetry';
import { buildConfig, ConfigError } from './config/index.js';
import { Ztunnel } from './ztunnel.js';

export type MainOptions = RunOptions;

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts
 * ztunnel, and runs until SIGTERM or SIGINT; then it stops accepting, lets open
 * connections finish until the drain timeout, and resolves with the exit code. A
 * second signal during the drain gets Node's default action (the process ends at once).
 */
export function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  return runProcess(
    {
      program: 'ztunnel',
      configure: buildConfig,
      configError: ConfigError,
      create(config, log) {
        const ztunnel = new Ztunnel(config, { log });
        return {
          start: () => ztunnel.start(),
          startedLine() {
            const { admin, metrics, readiness } = ztunnel.addresses;
            return ['started', { node: config.nodeName, xds: formatAddress(config.xdsAddress), admin: formatAddress(admin), metrics: formatAddress(metrics), readiness: formatAddress(readiness) }];
          },
          close: async () => {
            await ztunnel.close();
            return [];
          },
        };
      },
    },
    argv,
    options,
  );
}
