import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Tags } from 'yaml';
import { IssueCode, type ConfigIssue, type SourcePosition } from '../issues.js';
import type { Locate } from '../schema/to-issues.js';
import type { ConfigSource } from './read-sources.js';

/** One object read from a source, before it is known to be a valid resource. */
export interface RawObject {
  readonly file: string;
  /** Plain data as YAML/JSON gave it. */
  readonly value: unknown;
  /** Where this object starts. */
  readonly position: SourcePosition;
  /** Position of a field inside this object. */
  readonly locate: Locate;
}

/** Aliases may expand to at most this many nodes, so an alias bomb costs nothing. */
const MAX_ALIAS_COUNT = 100;

/**
 * YAML 1.1 types that Kubernetes' reader leaves as strings: timestamps, base-60
 * numbers (`22:22` is a string, not 1342), binary, sets and ordered maps.
 */
const KUBERNETES_STRING_TAGS = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary', 'tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs', 'tag:yaml.org,2002:set']);
const kubernetesTags = (tags: Tags): Tags =>
  tags.filter((tag) => {
    const { tag: name, format } = tag as { tag?: string; format?: string };
    return !(name !== undefined && KUBERNETES_STRING_TAGS.has(name)) && format !== 'TIME';
  });

/**
 * Splits a source into its documents (`---`), skips empty ones and unwraps `List`s.
 * YAML follows Kubernetes' reading (YAML 1.1 scalars: `yes`/`no` are booleans, but
 * timestamps and `22:22` stay strings; duplicate keys are errors); JSON is read as
 * the YAML subset it is.
 */
export function parseDocuments(source: ConfigSource): { objects: RawObject[]; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const objects: RawObject[] = [];
  const issues: ConfigIssue[] = [];
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.name, line, col };
  };

  const docs = parseAllDocuments(source.text, {
    lineCounter,
    version: '1.1',
    customTags: kubernetesTags,
    prettyErrors: false,
    uniqueKeys: true,
  });
  // parseAllDocuments returns an EmptyStream (no documents) for empty input.
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        issues.push({
          severity: 'error',
          code: IssueCode.Syntax,
          position: position(err.pos[0]),
          path: '',
          message: `YAML syntax error: ${firstLine(err.message)}`,
        });
      }
      continue;
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      issues.push({
        severity: 'error',
        code: IssueCode.Syntax,
        position: position(doc.contents.range?.[0] ?? 0),
        path: '',
        message: `YAML error: ${firstLine(err instanceof Error ? err.message : String(err))}`,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    const locateIn = (base: readonly PropertyKey[]): Locate => (path, target = 'value') =>
      position(offsetOf(doc, [...base, ...path], target));
    const items = listItems(value);
    if (items === undefined) {
      objects.push({ file: source.name, value, position: position(offsetOf(doc, [], 'value')), locate: locateIn([]) });
      continue;
    }
    items.forEach((item, index) => {
      const base = ['items', index];
      objects.push({ file: source.name, value: item, position: position(offsetOf(doc, base, 'value')), locate: locateIn(base) });
    });
  }
  return { objects, issues };
}

/** The items of a Kubernetes `List` (kind List or <Kind>List with an items array). */
function listItems(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { kind, items } = value as { kind?: unknown; items?: unknown };
  if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(items)) return undefined;
  return items;
}

/**
 * Offset of the node at `path`; when the path goes further than the document (a
 * missing field), the deepest node that exists.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[], target: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) return offset;
      const keyOffset = rangeStart(pair.key);
      if (last && target === 'key' && keyOffset !== undefined) return keyOffset;
      node = pair.value;
      offset = rangeStart(node) ?? keyOffset ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) return offset;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl === -1 ? message : message.slice(0, nl);
}
