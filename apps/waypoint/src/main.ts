import type { ExitCode } from '@ambit/errors';
import { runProcess, type RunOptions } from '@ambit/process';
import { formatAddress } from '@ambit/telemetry';
import { buildConfig, ConfigError } from './config/index.js';
import { Waypoint } from './waypoint.js';

export type MainOptions = RunOptions;

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts the
 * waypoint, and runs until SIGTERM or SIGINT; then it stops accepting, lets requests in
 * flight finish until the drain timeout, and resolves with the exit code.
 */
export function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  return runProcess(
    {
      program: 'waypoint',
      configure: buildConfig,
      configError: ConfigError,
      create(config, log) {
        const waypoint = new Waypoint(config, { log });
        return {
          start: () => waypoint.start(),
          startedLine() {
            const { admin, metrics, readiness } = waypoint.addresses;
            return ['started', { node: config.nodeName, xds: formatAddress(config.xdsAddress), admin: formatAddress(admin), metrics: formatAddress(metrics), readiness: formatAddress(readiness) }];
          },
          close: async () => {
            await waypoint.close();
            return [];
          },
        };
      },
    },
    argv,
    options,
  );
}
