import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { parseConfig, readSources, type ConfigIssue } from '@ambit/config-model';
import { track, type TrackedResource } from '../published-resources.js';

export type FileRead =
  /** The file is no longer there: it was deleted or renamed away. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'unreadable'; readonly issues: readonly ConfigIssue[] }
  | { readonly kind: 'read'; readonly text: string; readonly digest: string };

export interface ParsedFile {
  readonly resources: readonly TrackedResource[];
  readonly issues: readonly ConfigIssue[];
}

/**
 * Reads one file through config-model's readSources, so that what counts as too large
 * and how a read failure is worded are the same as for `ambitctl validate`.
 */
export async function readConfigFile(path: string, maxFileBytes: number | undefined): Promise<FileRead> {
  const read = await readSources([path], maxFileBytes === undefined ? {} : { maxFileBytes });
  const source = read.sources.find((s) => s.name === path);
  if (source !== undefined) return { kind: 'read', text: source.text, digest: createHash('sha256').update(source.text).digest('base64url') };
  return (await exists(path)) ? { kind: 'unreadable', issues: read.issues } : { kind: 'gone' };
}

/** Parses one file on its own: one source, so its duplicates are its own. */
export function parseConfigFile(path: string, text: string, defaultNamespace: string): ParsedFile {
  const result = parseConfig([{ name: path, text }], { defaultNamespace });
  return { resources: result.resources.map(track), issues: result.issues };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
