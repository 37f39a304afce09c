import { AmbitError } from '@ambit/errors';

/** Fields appended to a line as `key=value`, so that lines stay greppable and parseable. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Levels as operators name them (and as pino numbers them), most severe first. */
export const LOG_LEVELS = Object.freeze(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const);
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What every part of an Ambit process logs through. */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** The same sink and level, lines tagged with `component`. */
  child(component: string): Logger;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Default: standard error, so that standard output stays free for tools. */
  readonly write?: (line: string) => void;
  /** The first word of every line: the process (`control-plane`, `ztunnel`, …). */
  readonly component: string;
  /** Default: the wall clock; tests pass a fixed one to compare lines. */
  readonly now?: () => Date;
}

// pino's numeric levels, so that switching to pino later keeps the meaning of --log-level.
const SEVERITY: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Plain lines on standard error, `<time> <level> <component>: <message> key=value…`.
 * Lines rather than JSON because operators read them first; every call site goes
 * through `Logger`, so a structured backend (pino) can replace this module alone.
 */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const threshold = SEVERITY[options.level];
  const make = (component: string): Logger => {
    const log =
      (level: 'error' | 'warn' | 'info' | 'debug') =>
      (message: string, fields: LogFields = {}): void => {
        if (SEVERITY[level] < threshold) return;
        write(`${now().toISOString()} ${level} ${component}: ${message}${formatFields(fields)}\n`);
      };
    return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), child: (name) => make(`${component}:${name}`) };
  };
  return make(options.component);
}

/** A logger that drops everything (tests that assert on state, not on lines). */
export const SILENT_LOGGER: Logger = createLogger({ level: 'silent', component: 'silent', write: () => undefined });

/** An error as one line of text: an AmbitError's message and hint, else its message. */
export function errorText(error: unknown): string {
  if (error instanceof AmbitError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** `host:port`, IPv6 hosts in brackets: how addresses appear in logs and error messages. */
export function formatAddress(address: { readonly host: string; readonly port: number }): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

function formatFields(fields: LogFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    // Quoted only when needed, so that a line splits on spaces unambiguously.
    out += ` ${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`;
  }
  return out;
}
