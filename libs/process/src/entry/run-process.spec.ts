import { ExitCode } from '@ambit/errors';
import type { Logger } from '@ambit/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess, type ProcessDefinition, type ProcessService } from './run-process.js';

class UsageError extends Error {}

interface Config {
  readonly logLevel: 'info';
  readonly name: string;
}

/** What the service under the entry did, in order. */
function definition(service: Partial<ProcessService>, events: string[]): ProcessDefinition<Config> {
  return {
    program: 'demo',
    configure: ({ argv }) => {
      if (argv[0] === '--bad') throw new UsageError('--bad is not a demo flag');
      if (argv[0] === '--crash') throw new Error('bug');
      return { logLevel: 'info', name: argv[0] ?? 'x' };
    },
    configError: UsageError,
    create: (config: Config, log: Logger) => ({
      start: async () => {
        events.push(`start ${config.name}`);
        log.debug('not shown at info');
      },
      startedLine: () => ['started', { name: config.name }],
      close: async () => {
        events.push('close');
        return [];
      },
      ...service,
    }),
  };
}

const listenersBefore = process.listenerCount('SIGTERM');
afterEach(() => expect(process.listenerCount('SIGTERM')).toBe(listenersBefore));

/** Emits the signal once the entry has logged that it started (the handlers are then installed). */
function signalWhenStarted(lines: string[], signal: NodeJS.Signals): (line: string) => void {
  return (line) => {
    lines.push(line);
    if (line.includes(' started')) setImmediate(() => process.emit(signal, signal));
  };
}

describe('runProcess', () => {
  it('starts, waits for SIGTERM, drains and exits Ok', async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const code = await runProcess(definition({}, events), ['a'], { env: {}, write: signalWhenStarted(lines, 'SIGTERM') });
    expect(code).toBe(ExitCode.Ok);
    expect(events).toEqual(['start a', 'close']);
    expect(lines.join('')).toMatch(/demo: started name=a[\s\S]*SIGTERM received; draining[\s\S]*stopped/);
  });

  it('exits Failed and logs each error met while stopping', async () => {
    const lines: string[] = [];
    const code = await runProcess(definition({ close: async () => [new Error('stage xds did not stop')] }, []), [], { env: {}, write: signalWhenStarted(lines, 'SIGINT') });
    expect(code).toBe(ExitCode.Failed);
    expect(lines.join('')).toMatch(/stage xds did not stop[\s\S]*stopped with errors/);
  });

  it('exits Usage on a configuration error and Failed on any other, naming the program', async () => {
    const lines: string[] = [];
    expect(await runProcess(definition({}, []), ['--bad'], { env: {}, write: (line) => lines.push(line) })).toBe(ExitCode.Usage);
    expect(lines).toEqual([expect.stringMatching(/^demo: Error: --bad is not a demo flag/)]);
    expect(await runProcess(definition({}, []), ['--crash'], { env: {}, write: () => undefined })).toBe(ExitCode.Failed);
  });

  it('exits Failed when start-up fails, and stops listening for signals', async () => {
    const lines: string[] = [];
    const code = await runProcess(definition({ start: () => Promise.reject(new Error('port taken')) }, []), [], { env: {}, write: (line) => lines.push(line) });
    expect(code).toBe(ExitCode.Failed);
    expect(lines.join('')).toMatch(/cannot start: Error: port taken/);
  });
});
