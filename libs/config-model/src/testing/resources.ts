import { readFileSync } from 'node:fs';
import { formatIssue, parseConfig, type Resource } from '../index.js';

/** Resources from YAML files, as a provider would hand them over; any config error fails the test that reads them. */
export function loadResources(...files: string[]): Resource[] {
  const sources = files.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  return parseYaml(sources);
}

export function parseYaml(sources: readonly { name: string; text: string }[]): Resource[] {
  const result = parseConfig(sources);
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`invalid test input:\n${errors.map(formatIssue).join('\n')}`);
  return result.resources;
}

/** Resources from one YAML text (inline test input). */
export function yamlResources(text: string): Resource[] {
  return parseYaml([{ name: 'inline.yaml', text }]);
}
