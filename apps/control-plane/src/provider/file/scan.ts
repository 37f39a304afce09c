import { lstat, readdir, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { extname, join } from 'node:path';
import { CONFIG_FILE_EXTENSIONS } from '@ambit/config-model';

/** A config file found by a scan, with what tells a later scan whether it changed. */
export interface ScannedFile {
  readonly path: string;
  /** Inode, size, modification and change times: differs when the file was replaced or written. */
  readonly signature: string;
}

/** A directory (or a path whose type could not even be learnt) that cannot be read. */
export interface UnreadablePath {
  readonly path: string;
  readonly error: NodeJS.ErrnoException;
}

export interface ScanResult {
  /** Config files in readSources' order. */
  readonly files: readonly ScannedFile[];
  readonly unreadable: readonly UnreadablePath[];
}

export interface ScanOptions {
  /** Follow `path` itself if it is a symbolic link (the config directory may be one; nothing inside it is followed). */
  readonly followLink?: boolean;
  /** Called for each directory before its entries are read, so a watch placed there misses nothing the scan did not see. */
  readonly onDirectory?: (path: string, inode: bigint) => void;
}

/**
 * Finds the config files at or under `path` as config-model's readSources does:
 * regular *.yaml, *.yml and *.json files, recursively, symbolic links inside the tree
 * not followed. A path that does not exist (any more) is simply empty; a directory
 * that cannot be listed is reported so its files are not taken for deleted.
 */
export async function scanTree(path: string, options: ScanOptions = {}): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const unreadable: UnreadablePath[] = [];
  let info: BigIntStats | undefined;
  try {
    info = await statOrUndefined(path, options.followLink === true);
  } catch (error) {
    unreadable.push({ path, error: error as NodeJS.ErrnoException });
  }
  if (info?.isFile() === true && isConfigFile(path)) files.push({ path, signature: signatureOf(info) });
  else if (info?.isDirectory() === true) await walk(path, info, files, unreadable, options);
  return { files, unreadable };
}

function isConfigFile(path: string): boolean {
  return CONFIG_FILE_EXTENSIONS.has(extname(path).toLowerCase());
}

async function walk(dir: string, info: BigIntStats, files: ScannedFile[], unreadable: UnreadablePath[], options: ScanOptions): Promise<void> {
  options.onDirectory?.(dir, info.ino);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (!isGone(error)) unreadable.push({ path: dir, error: error as NodeJS.ErrnoException });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (!entry.isDirectory() && !(entry.isFile() && isConfigFile(entry.name))) continue;
    const path = join(dir, entry.name);
    let child: BigIntStats | undefined;
    try {
      child = await statOrUndefined(path, false);
    } catch (error) {
      // A file is still listed, so that reading it reports why; a directory is kept as it was.
      if (entry.isDirectory()) unreadable.push({ path, error: error as NodeJS.ErrnoException });
      else files.push({ path, signature: UNKNOWN_SIGNATURE });
      continue;
    }
    if (child?.isDirectory() === true) await walk(path, child, files, unreadable, options);
    else if (child?.isFile() === true) files.push({ path, signature: signatureOf(child) });
  }
}

async function statOrUndefined(path: string, followLink: boolean): Promise<BigIntStats | undefined> {
  try {
    return followLink ? await stat(path, { bigint: true }) : await lstat(path, { bigint: true });
  } catch (error) {
    // Gone between the event and the scan, or never there: either way, nothing to read.
    if (isGone(error)) return undefined;
    throw error;
  }
}

const UNKNOWN_SIGNATURE = 'unknown';

function signatureOf(info: BigIntStats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
