import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { sampleConfig } from './sample-config.js';

const NAMES = ['--pod', 'reviews-v1', '--namespace', 'bookinfo', '--version', 'v1', '--app', 'reviews'];

describe('sampleConfig', () => {
  it('reads every flag, --listen repeated, with the info log level by default', () => {
    expect(sampleConfig(['--listen', '127.0.10.13:9080', '--listen=[::1]:0', ...NAMES])).toEqual({
      listen: [
        { host: '127.0.10.13', port: 9080 },
        { host: '::1', port: 0 },
      ],
      app: 'reviews',
      version: 'v1',
      pod: 'reviews-v1',
      namespace: 'bookinfo',
      logLevel: 'info',
    });
    expect(sampleConfig(['--listen', '127.0.0.1:1', ...NAMES, '--log-level', 'warn']).logLevel).toBe('warn');
  });

  it.each([
    [[...NAMES], '--listen is required: expected host:port'],
    [['--listen', '127.0.0.1:99999', ...NAMES], '--listen "127.0.0.1:99999" is not valid: expected host:port with a port from 0 to 65535'],
    [['--listen', '127.0.0.1:80', '--listen', '127.0.0.1:080', ...NAMES], '--listen "127.0.0.1:080" is given twice: expected each address once'],
    [['--listen', '127.0.0.1:80', ...NAMES.slice(2)], '--pod is required'],
    [['--listen', '127.0.0.1:80', ...NAMES, '--pod', 'a b'], '--pod "a b" is not valid: expected a name of letters'],
    [['--listen', '127.0.0.1:80', ...NAMES, '--version', '-v1'], "the command line is not valid (Option '--version' argument is ambiguous"],
    [['--listen', '127.0.0.1:80', ...NAMES, '--color'], "the command line is not valid (Unknown option '--color')"],
    [['--listen', '127.0.0.1:80', ...NAMES, 'extra'], "the command line is not valid (Unexpected argument 'extra'"],
    [['--listen', '127.0.0.1:80', ...NAMES, '--log-level', 'loud'], '--log-level "loud" is not valid: expected one of fatal, error'],
  ])('%j: a ConfigError naming the flag', (argv, message) => {
    let thrown: unknown;
    try {
      sampleConfig(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('AMBIT_ERR_SAMPLE_CONFIG');
    expect((thrown as ConfigError).message).toContain(message);
  });
});
