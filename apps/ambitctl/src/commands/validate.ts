import { Command } from 'commander';
import { loadConfig, type ConfigIssue, type LoadResult } from '@ambit/config-model';
import { ExitCode } from '@ambit/errors';
import { filenameOption } from '../filename-option.js';
import type { CliIo } from '../io.js';
import { issueJson, issueLine, plural } from '../issue-report.js';
import { outputOption, type OutputFormat } from '../output-format.js';

interface ValidateOptions {
  readonly filename: string[];
  readonly output: OutputFormat;
  readonly namespace: string;
}

/**
 * `ambitctl validate -f <file|dir|->…`: checks config as Istio's validation would and
 * prints every problem, not only the first. Exit 0 when all is valid, 1 otherwise.
 */
export function validateCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  return new Command('validate')
    .description('check Istio and Kubernetes YAML/JSON for errors, reporting each with its file, line and field')
    .addOption(filenameOption())
    .option('-n, --namespace <name>', 'namespace for resources that name none', 'default')
    .addOption(outputOption())
    .addHelpText('after', '\nExamples:\n  ambitctl validate -f samples/\n  kubectl get vs -A -o yaml | ambitctl validate -f -\n  ambitctl validate -f vs.yaml -f dr.yaml -o json')
    .action(async (options: ValidateOptions) => {
      const result = await loadConfig(options.filename, { stdin: io.stdin, defaultNamespace: options.namespace });
      const errors = result.issues.filter((i) => i.severity === 'error');
      io.stdout.write(options.output === 'json' ? renderJson(result) : renderText(result, errors));
      setExit(errors.length > 0 ? ExitCode.Failed : ExitCode.Ok);
    });
}

function renderText(result: LoadResult, errors: readonly ConfigIssue[]): string {
  const lines = result.issues.map(issueLine);
  const files = plural(result.sourceCount, 'file');
  const resources = plural(result.resources.length, 'resource');
  const warnings = result.issues.length - errors.length;
  const withWarnings = warnings === 0 ? '' : `, ${plural(warnings, 'warning')}`;
  if (errors.length === 0) lines.push(`✔ ${resources} in ${files}: valid${withWarnings}`);
  else {
    const badFiles = new Set(errors.map((e) => e.position.file)).size;
    lines.push(`✘ ${plural(errors.length, 'error')} in ${badFiles} of ${files} (${resources} valid${withWarnings})`);
  }
  return `${lines.join('\n')}\n`;
}

function renderJson(result: LoadResult): string {
  const doc = {
    valid: !result.issues.some((i) => i.severity === 'error'),
    sources: result.sourceCount,
    resources: result.resources.map((r) => ({
      apiVersion: r.apiVersion,
      kind: r.kind,
      namespace: r.metadata.namespace === '' ? undefined : r.metadata.namespace,
      name: r.metadata.name,
      file: r.source.file,
      line: r.source.line,
      column: r.source.col,
    })),
    issues: result.issues.map(issueJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
