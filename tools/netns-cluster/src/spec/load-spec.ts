import { readFile } from 'node:fs/promises';
import { ClusterSpecError } from '../errors.js';
import type { ClusterSpec } from './cluster-spec.js';
import { parseClusterSpec } from './parse-spec.js';

/** Reads and validates a cluster description file. */
export async function loadClusterSpec(file: string): Promise<ClusterSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ClusterSpecError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'give the cluster description with -f <file>');
  }
  return parseClusterSpec(text, file);
}
