import type { ConfigIssue } from './issues.js';
import type { Resource } from './kinds/registry.js';
import { parseDocuments } from './source/parse-documents.js';
import { readSources, type ConfigSource, type ReadSourcesOptions } from './source/read-sources.js';
import { findDuplicates } from './validate/duplicates.js';
import { validateObject } from './validate/validate-object.js';

export interface ParseOptions {
  /** Namespace for namespaced resources that name none; `default`, as kubectl assumes. */
  readonly defaultNamespace?: string;
}

export interface LoadResult {
  /** Every valid resource, in source order. */
  readonly resources: Resource[];
  /** Every problem found, in source order; empty when all input is valid. */
  readonly issues: ConfigIssue[];
  /** How many sources (files, stdin) were read. */
  readonly sourceCount: number;
}

/**
 * Parses and validates already-read sources. Each object stands alone: one invalid
 * resource never hides the others, and all issues are collected.
 */
export function parseConfig(sources: readonly ConfigSource[], options: ParseOptions = {}): LoadResult {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const resources: Resource[] = [];
  const issues: ConfigIssue[] = [];
  for (const source of sources) {
    const parsed = parseDocuments(source);
    issues.push(...parsed.issues);
    for (const raw of parsed.objects) {
      const result = validateObject(raw, { defaultNamespace });
      issues.push(...result.issues);
      if (result.resource !== undefined) resources.push(result.resource);
    }
  }
  issues.push(...findDuplicates(resources));
  return { resources, issues: sortIssues(sources, issues), sourceCount: sources.length };
}

/** Reads files, directories and `-` (stdin), then parses and validates them. */
export async function loadConfig(inputs: readonly string[], options: ParseOptions & ReadSourcesOptions = {}): Promise<LoadResult> {
  const read = await readSources(inputs, options);
  const result = parseConfig(read.sources, options);
  return { ...result, issues: [...read.issues, ...result.issues] };
}

function sortIssues(sources: readonly ConfigSource[], issues: ConfigIssue[]): ConfigIssue[] {
  const order = new Map(sources.map((s, i) => [s.name, i]));
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      const pa = a.issue.position;
      const pb = b.issue.position;
      return (order.get(pa.file) ?? 0) - (order.get(pb.file) ?? 0) || pa.line - pb.line || pa.col - pb.col || a.index - b.index;
    })
    .map((entry) => entry.issue);
}
