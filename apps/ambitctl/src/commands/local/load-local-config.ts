import { stat } from 'node:fs/promises';
import { loadConfig, type Resource } from '@ambit/config-model';
import type { CliIo } from '../../io.js';
import { issueLine } from '../../issue-report.js';
import { LocalConfigError } from './errors.js';
import { localModeIssues } from './local-checks.js';
import { planSamples } from './samples.js';

/**
 * Reads the config directory as `ambitctl validate` does (same loader, same messages),
 * adds what local mode needs on top (localModeIssues, then the sample workloads'
 * annotations once the rest is free of errors, as the mesh model expects), and prints every issue on
 * standard error. Throws LocalConfigError when any is an error: nothing may start.
 */
export async function loadLocalConfig(directory: string, io: CliIo): Promise<Resource[]> {
  const info = await stat(directory).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) throw new LocalConfigError(directory, 'is not a directory: the control plane reads (and watches) a directory of YAML');
  const result = await loadConfig([directory], { defaultNamespace: 'default' });
  const issues = [...result.issues, ...localModeIssues(result.resources)];
  if (!issues.some((i) => i.severity === 'error')) issues.push(...planSamples(result.resources).issues);
  for (const issue of issues) io.stderr.write(`${issueLine(issue)}\n`);
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (errors > 0) throw new LocalConfigError(directory, `has ${errors} error${errors === 1 ? '' : 's'}`);
  return result.resources;
}
