import { parseArgs } from 'node:util';
import { hostPort, logLevel, type HostPort } from '@ambit/process';
import type { LogLevel } from '@ambit/telemetry';
import { ConfigError } from './config-error.js';

/** Who the sample plays (what every answer reports) and where it listens. */
export interface SampleConfig {
  /** One HTTP listener per address; at least one, no two alike. */
  readonly listen: readonly HostPort[];
  readonly app: string;
  readonly version: string;
  readonly pod: string;
  readonly namespace: string;
  readonly logLevel: LogLevel;
}

const NAMES = ['app', 'version', 'pod', 'namespace'] as const;

// Kubernetes object names and label values, loosely: what a pod name, namespace, app or version label can be.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;
const LISTEN = hostPort('127.0.10.13:9080');

/**
 * The config from the command line. Flags only (the sample is started by `ambitctl
 * local up`, which passes them all); `--listen` may be repeated, which the shared
 * settings reader (last flag wins) does not allow, hence node's parseArgs here.
 */
export function sampleConfig(argv: readonly string[]): SampleConfig {
  let values: Record<string, string | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        listen: { type: 'string', multiple: true },
        ...Object.fromEntries(NAMES.map((name) => [name, { type: 'string' as const }])),
        'log-level': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs says which flag is unknown or lacks its value.
    throw new ConfigError('the command line', undefined, 'the flags of the usage, each with a value', `is not valid (${(error as Error).message.split('. ')[0]})`);
  }
  const listenTexts = (values.listen as string[] | undefined) ?? [];
  if (listenTexts.length === 0) throw new ConfigError('--listen', undefined, `${LISTEN.accepts}, at least once`, 'is required');
  const seen = new Set<string>();
  const listen = listenTexts.map((text) => {
    const address = LISTEN.parse(text);
    if (address === undefined) throw new ConfigError('--listen', text, LISTEN.accepts);
    const key = `${address.host}:${address.port}`;
    if (seen.has(key)) throw new ConfigError('--listen', text, 'each address once', 'is given twice');
    seen.add(key);
    return address;
  });
  const name = (flag: (typeof NAMES)[number]): string => {
    const text = values[flag] as string | undefined;
    if (text === undefined) throw new ConfigError(`--${flag}`, undefined, `--${flag} <name>`, 'is required');
    if (!NAME.test(text)) throw new ConfigError(`--${flag}`, text, 'a name of letters, digits, "-", "_" and "." (at most 253), starting and ending with a letter or digit');
    return text;
  };
  const levelText = (values['log-level'] as string | undefined) ?? 'info';
  const level = logLevel.parse(levelText);
  if (level === undefined) throw new ConfigError('--log-level', levelText, logLevel.accepts);
  return Object.freeze({ listen: Object.freeze(listen), app: name('app'), version: name('version'), pod: name('pod'), namespace: name('namespace'), logLevel: level });
}
