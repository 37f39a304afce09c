import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { IssueCode, type ConfigIssue } from '../issues.js';

/** One unit of configuration text and the name errors will point at. */
export interface ConfigSource {
  readonly name: string;
  readonly text: string;
}

export interface ReadSourcesOptions {
  /** Where `-` reads from; process.stdin unless a test supplies another stream. */
  readonly stdin?: AsyncIterable<Buffer | string>;
  /** Largest file accepted; a config file beyond this is refused rather than buffered. */
  readonly maxFileBytes?: number;
}

export const CONFIG_FILE_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const STDIN_NAME = '<stdin>';

/**
 * Reads files, directories (recursively, *.yaml/*.yml/*.json in name order) and `-`
 * (standard input). Unreadable inputs become issues; the rest are still returned.
 */
export async function readSources(
  inputs: readonly string[],
  options: ReadSourcesOptions = {},
): Promise<{ sources: ConfigSource[]; issues: ConfigIssue[] }> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const sources: ConfigSource[] = [];
  const issues: ConfigIssue[] = [];
  const fail = (file: string, message: string, hint?: string): void => {
    issues.push({
      severity: 'error',
      code: IssueCode.Source,
      position: { file, line: 0, col: 0 },
      path: '',
      message,
      hint,
    });
  };

  for (const input of inputs) {
    if (input === '-') {
      const text = await readStream(options.stdin ?? process.stdin, maxBytes);
      if (text === undefined) fail(STDIN_NAME, `input is larger than ${maxBytes} bytes`);
      else sources.push({ name: STDIN_NAME, text });
      continue;
    }
    let files: string[];
    try {
      files = await expand(input);
    } catch (err) {
      fail(input, `cannot read: ${describeFsError(err)}`, 'check the path given with -f');
      continue;
    }
    if (files.length === 0) {
      fail(input, 'no configuration files found (*.yaml, *.yml, *.json)');
      continue;
    }
    for (const file of files) {
      try {
        const info = await stat(file);
        if (info.size > maxBytes) {
          fail(file, `file is ${info.size} bytes, more than the ${maxBytes} accepted`);
          continue;
        }
        sources.push({ name: file, text: await readFile(file, 'utf8') });
      } catch (err) {
        fail(file, `cannot read: ${describeFsError(err)}`);
      }
    }
  }
  return { sources, issues };
}

async function expand(input: string): Promise<string[]> {
  const info = await stat(input);
  if (!info.isDirectory()) return [input];
  const out: string[] = [];
  const entries = await readdir(input, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(input, entry.name);
    if (entry.isDirectory()) out.push(...(await expand(path)));
    else if (entry.isFile() && CONFIG_FILE_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out;
}

async function readStream(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > maxBytes) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}
