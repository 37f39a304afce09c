import type { ExitCode } from '@ambit/errors';
import { runProcess, type RunOptions } from '@ambit/process';
import { formatAddress } from '@ambit/telemetry';
import { buildConfig, ConfigError } from './config/index.js';
import { IngressGateway } from './ingress-gateway.js';

export type MainOptions = RunOptions;

/**
 * The process entry: builds the config from flags and AMBIT_* variables, starts the
 * gateway, and runs until SIGTERM or SIGINT; then it stops accepting, lets requests in
 * flight finish until the drain timeout, and resolves with the exit code.
 */
export function main(argv: readonly string[], options: MainOptions = {}): Promise<ExitCode> {
  return runProcess(
    {
      program: 'ingress-gateway',
      configure: buildConfig,
      configError: ConfigError,
      create(config, log) {
        const gateway = new IngressGateway(config, { log });
        return {
          start: () => gateway.start(),
          startedLine() {
            const { admin, metrics, readiness } = gateway.addresses;
            return ['started', { node: config.nodeName, xds: formatAddress(config.xdsAddress), admin: formatAddress(admin), metrics: formatAddress(metrics), readiness: formatAddress(readiness) }];
          },
          close: async () => {
            await gateway.close();
            return [];
          },
        };
      },
    },
    argv,
    options,
  );
}
