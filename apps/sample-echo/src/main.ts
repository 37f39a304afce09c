import type { ExitCode } from '@ambit/errors';
import { runProcess, type RunOptions } from '@ambit/process';
import { ConfigError, sampleConfig } from './config/index.js';
import { EchoServer } from './echo/index.js';

/**
 * The process entry: reads the flags, listens on every --listen address, and runs
 * until SIGTERM or SIGINT; then it stops accepting, lets open requests finish for a
 * few seconds, and resolves with the exit code (0 after a clean stop).
 */
export function main(argv: readonly string[], options: RunOptions = {}): Promise<ExitCode> {
  return runProcess(
    {
      program: 'sample-echo',
      configure: ({ argv: args }) => sampleConfig(args),
      configError: ConfigError,
      create(config, log) {
        const server = new EchoServer(config, { log });
        return {
          start: () => server.listen(config.listen),
          startedLine: () => ['started', { app: config.app, version: config.version, pod: `${config.namespace}/${config.pod}`, listen: server.addresses.join(',') }],
          close: async () => {
            await server.close();
            return [];
          },
        };
      },
    },
    argv,
    options,
  );
}
