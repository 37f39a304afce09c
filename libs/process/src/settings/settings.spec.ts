import { describe, expect, it } from 'vitest';
import { envOf, flagOf } from './names.js';
import { hostPort } from './parsers.js';
import { Settings } from './settings.js';
import type { ValueParser } from './value-parser.js';

/** Stands for an app's own configuration error (its code is the app's). */
class SettingError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string | undefined,
    accepted: string,
    problem = 'is not valid',
  ) {
    super(`${value === undefined ? variable : `${variable} ${JSON.stringify(value)}`} ${problem}: expected ${accepted}`);
  }
}

const NAMES = ['listen-address', 'node-name', 'log-level'] as const;
type Name = (typeof NAMES)[number];
const DEFAULTS: Partial<Record<Name, string>> = { 'listen-address': '127.0.0.1:15000', 'log-level': 'info' };
const ADDRESS = hostPort('127.0.0.1:15000');
const TEXT: ValueParser<unknown> = { accepts: 'any text', parse: (text) => text };

function settings(argv: readonly string[], env: Record<string, string> = {}): Settings<Name> {
  return new Settings({ names: NAMES, argv, env, program: 'demo', defaults: DEFAULTS, error: SettingError });
}

function failure(argv: readonly string[], env: Record<string, string> = {}): SettingError {
  try {
    const s = settings(argv, env);
    for (const name of NAMES) s.read<unknown>(name, name === 'listen-address' ? ADDRESS : TEXT);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingError);
    return error as SettingError;
  }
  throw new Error('expected a SettingError');
}

describe('names', () => {
  it('writes each setting once: --name and AMBIT_NAME', () => {
    expect(flagOf('max-workload-cert-ttl')).toBe('--max-workload-cert-ttl');
    expect(envOf('max-workload-cert-ttl')).toBe('AMBIT_MAX_WORKLOAD_CERT_TTL');
  });
});

describe('Settings', () => {
  it('takes flags over environment variables over defaults, and says where each came from', () => {
    const s = settings(['--node-name=flag'], { AMBIT_NODE_NAME: 'env', AMBIT_LOG_LEVEL: 'debug' });
    expect(s.given('node-name')).toEqual({ variable: '--node-name', value: 'flag' });
    expect(s.given('log-level')).toEqual({ variable: 'AMBIT_LOG_LEVEL', value: 'debug' });
    expect(s.given('listen-address')).toEqual({ variable: 'the default --listen-address', value: '127.0.0.1:15000' });
    expect(s.read('listen-address', ADDRESS)).toEqual({ host: '127.0.0.1', port: 15000 });
    expect([s.has('node-name'), s.has('log-level'), s.has('listen-address')]).toEqual([true, true, false]);
  });

  it('takes the last of a repeated flag, and counts an empty variable as unset', () => {
    expect(settings(['--node-name', 'a', '--node-name', 'b']).given('node-name').value).toBe('b');
    expect(settings(['--node-name=x'], { AMBIT_LOG_LEVEL: '' }).has('log-level')).toBe(false);
    expect(settings(['--node-name=']).given('node-name')).toEqual({ variable: '--node-name', value: '' });
  });

  it('names the flag or variable and the value a parser refuses', () => {
    expect(failure(['--listen-address=localhost', '--node-name=a'])).toMatchObject({
      variable: '--listen-address',
      value: 'localhost',
      message: '--listen-address "localhost" is not valid: expected host:port with a port from 0 to 65535, e.g. 127.0.0.1:15000',
    });
    expect(failure(['--node-name=a'], { AMBIT_LISTEN_ADDRESS: ':1' })).toMatchObject({ variable: 'AMBIT_LISTEN_ADDRESS', value: ':1' });
  });

  it('names a required setting that is missing', () => {
    expect(failure([]).message).toBe('--node-name is required: expected --node-name=<value> (or its AMBIT_* variable)');
  });

  it('refuses command lines it cannot read, naming the argument', () => {
    expect(failure(['--nodename=x'])).toMatchObject({ variable: '--nodename', value: undefined, message: '--nodename is not a demo flag: expected one of --listen-address, --node-name, --log-level' });
    expect(failure(['--node-name'])).toMatchObject({ message: '--node-name needs a value: expected --node-name=<value> or --node-name <value>' });
    expect(failure(['--node-name', '--log-level', 'x'])).toMatchObject({ variable: '--node-name' });
    expect(failure(['serve'])).toMatchObject({ variable: 'argument', value: 'serve', message: 'argument "serve" is not a flag: expected only flags, written --name=value or --name value' });
    expect(failure(['-h'])).toMatchObject({ variable: '-h' });
  });

  it('reads no flag after the option terminator as a setting', () => {
    expect(failure(['--node-name=a', '--', 'rest'])).toMatchObject({ variable: 'argument', value: 'rest' });
  });
});
