import { createHash } from 'node:crypto';
import type { Resource } from '@ambit/config-model';

/**
 * A digest of what a resource says, leaving out where it was written (`source`): moving
 * a resource within or between files, reordering its keys or re-indenting it is not a
 * change anyone downstream needs to recompute for.
 */
export function contentFingerprint(resource: Resource): string {
  const { source: _source, ...content } = resource;
  return createHash('sha256').update(stableJson(content)).digest('base64url');
}

/** JSON with object keys sorted, so that equal content always gives equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : stableJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
