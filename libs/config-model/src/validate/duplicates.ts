import { IssueCode, type ConfigIssue } from '../issues.js';
import type { Resource } from '../kinds/registry.js';

/**
 * Two definitions of the same object (group, kind, namespace, name) contradict each
 * other: neither silently wins. The later one is reported, naming the first.
 */
export function findDuplicates(resources: readonly Resource[]): ConfigIssue[] {
  const seen = new Map<string, Resource>();
  const issues: ConfigIssue[] = [];
  for (const resource of resources) {
    const { group, kind, metadata } = resource;
    const key = `${group}/${kind}/${metadata.namespace}/${metadata.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, resource);
      continue;
    }
    const at = `${first.source.file}:${first.source.line}:${first.source.col}`;
    issues.push({
      severity: 'error',
      code: IssueCode.Conflict,
      position: resource.source,
      resource: { kind, name: metadata.name, namespace: metadata.namespace === '' ? undefined : metadata.namespace },
      path: 'metadata.name',
      message: `is defined twice; the first definition is at ${at}`,
      hint: 'rename one or remove the copy',
    });
  }
  return issues;
}
