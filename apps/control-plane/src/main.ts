import type { ExitCode } from '@ambit/errors';
import { runProcess, type RunOptions } from '@ambit/process';
import { formatAddress } from '@ambit/telemetry';
import { buildConfig, ConfigError } from './config/index.js';
import { ControlPlane } from './control-plane.js';

export type MainOptions = RunOptions;

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts the
 * control plane, and runs until SIGTERM or SIGINT, then drains and resolves with the
 * exit code. A second signal during the drain gets Node's default action (the process
 * ends at once), so an operator is never stuck behind a hung shutdown.
 */
export function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  return runProcess(
    {
      program: 'control-plane',
      configure: buildConfig,
      configError: ConfigError,
      create(config, log) {
        const controlPlane = new ControlPlane(config, { log });
        return {
          start: () => controlPlane.start(),
          startedLine: () => ['ready', { xds: formatAddress(controlPlane.addresses.xds), admin: formatAddress(controlPlane.addresses.admin) }],
          close: () => controlPlane.close(),
        };
      },
    },
    argv,
    options,
  );
}
