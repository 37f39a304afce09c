import { BadRequestError } from './errors.js';

/** A parsed selector: whether an object matches. */
export type Selector = (object: KubeObject) => boolean;

/** What the stand-in stores: any JSON object with Kubernetes metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

const MATCH_ALL: Selector = () => true;

/**
 * Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, joined by commas (all must hold).
 */
export function parseLabelSelector(text: string | null): Selector {
  if (text === null || text.trim() === '') return MATCH_ALL;
  const terms = splitTerms(text).map((term): Selector => {
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set !== null) {
      const [, key, op, list] = set as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map((v) => v.trim()));
      return op === 'in' ? (o) => values.has(labelOf(o, key) ?? '\0') : (o) => !values.has(labelOf(o, key) ?? '\0');
    }
    const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (equality !== null) {
      const [, key, op, value] = equality as unknown as [string, string, string, string];
      return op === '!=' ? (o) => labelOf(o, key) !== value : (o) => labelOf(o, key) === value;
    }
    const exists = /^(!?)([^!=\s()]+)$/.exec(term);
    if (exists !== null) {
      const [, not, key] = exists as unknown as [string, string, string];
      return not === '!' ? (o) => labelOf(o, key) === undefined : (o) => labelOf(o, key) !== undefined;
    }
    throw new BadRequestError(`unable to parse requirement: ${JSON.stringify(term)} in labelSelector`);
  });
  return (o) => terms.every((matches) => matches(o));
}

/**
 * Kubernetes field selector syntax: `path=value`, `path==value`, `path!=value`, joined by
 * commas. Any dotted path of string fields is accepted (the real server allows a few per
 * kind, always including metadata.name and metadata.namespace).
 */
export function parseFieldSelector(text: string | null): Selector {
  if (text === null || text.trim() === '') return MATCH_ALL;
  const terms = splitTerms(text).map((term): Selector => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (match === null) throw new BadRequestError(`invalid field selector term ${JSON.stringify(term)}`);
    const [, path, op, value] = match as unknown as [string, string, string, string];
    const fields = path.split('.');
    return op === '!=' ? (o) => fieldOf(o, fields) !== value : (o) => fieldOf(o, fields) === value;
  });
  return (o) => terms.every((matches) => matches(o));
}

/** Commas split terms, except inside the parentheses of a set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  terms.push(text.slice(start).trim());
  return terms;
}

function labelOf(object: KubeObject, key: string): string | undefined {
  return object.metadata.labels?.[key];
}

function fieldOf(object: KubeObject, path: readonly string[]): string {
  let value: unknown = object;
  for (const field of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  // The real server compares a missing field as the empty string.
  return value === undefined || value === null ? '' : String(value);
}
