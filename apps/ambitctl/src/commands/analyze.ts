import { Command, Option } from 'commander';
import { loadConfig, type LoadResult, type Resource } from '@ambit/config-model';
import { ExitCode } from '@ambit/errors';
import { findings, formatFinding, idOf, MeshModel, type Finding } from '@ambit/mesh-model';
import { filenameOption } from '../filename-option.js';
import type { CliIo } from '../io.js';
import { issueJson, issueLine, plural } from '../issue-report.js';
import { outputOption, type OutputFormat } from '../output-format.js';

interface AnalyzeOptions {
  readonly filename: string[];
  readonly output: OutputFormat;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
}

interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly info: number;
}

const EXAMPLES = `
Examples:
  ambitctl analyze -f examples/bookinfo
  ambitctl analyze -f mesh/ -n shop -o json
  kubectl get vs,dr,gw,svc,pods -A -o yaml | ambitctl analyze -f -

Each finding has a stable code (AMB0101, …) explained in docs/analysis.md.
Exit status: 0 no errors (warnings and info alone exit 0), 1 an error finding or
invalid input, 2 a usage error.`;

/**
 * `ambitctl analyze -f <file|dir|->…`: builds the mesh from the files, offline, as the
 * control plane would, and reports every resource that applies to nothing or not as
 * written, from the same status facts the control plane serves at /debug/status.
 */
export function analyzeCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  return new Command('analyze')
    .description('find config that does nothing or not what it says: references to nothing, L7 rules without a waypoint, conflicts')
    .addOption(filenameOption())
    .addOption(new Option('-n, --namespace <name>', 'report only this namespace (also the namespace of resources that name none)').conflicts('allNamespaces'))
    .option('-A, --all-namespaces', 'report every namespace (the default)')
    .addOption(outputOption())
    .addHelpText('after', EXAMPLES)
    .action(async (options: AnalyzeOptions) => {
      const result = await loadConfig(options.filename, { stdin: io.stdin, defaultNamespace: options.namespace ?? 'default' });
      const resources = firstOfEach(result.resources);
      const model = new MeshModel();
      model.apply({ upserted: resources });
      const found = findings(model, resources).filter((f) => inScope(f, options.namespace));
      const counts = count(result, found);
      io.stdout.write(options.output === 'json' ? renderJson(result, resources, found, counts, options.namespace) : renderText(result, resources, found, counts));
      setExit(counts.errors > 0 ? ExitCode.Failed : ExitCode.Ok);
    });
}

/** A resource defined twice is a validation error already; the model takes the first definition, as the control plane's file provider does. */
function firstOfEach(resources: readonly Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const key = JSON.stringify(idOf(r));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** With -n, findings about that namespace's resources, and about the Namespace itself. */
function inScope(f: Finding, namespace: string | undefined): boolean {
  if (namespace === undefined) return true;
  return f.namespace === namespace || (f.kind === 'Namespace' && f.name === namespace);
}

function count(result: LoadResult, found: readonly Finding[]): Counts {
  const issueErrors = result.issues.filter((i) => i.severity === 'error').length;
  return {
    errors: issueErrors + found.filter((f) => f.severity === 'error').length,
    warnings: result.issues.length - issueErrors + found.filter((f) => f.severity === 'warning').length,
    info: found.filter((f) => f.severity === 'info').length,
  };
}

function findingLine(f: Finding): string {
  return `${f.severity === 'error' ? '' : `${f.severity}: `}${formatFinding(f)}`;
}

function renderText(result: LoadResult, resources: readonly Resource[], found: readonly Finding[], counts: Counts): string {
  const lines = [...result.issues.map(issueLine), ...found.map(findingLine)];
  const scope = `${plural(resources.length, 'resource')} in ${plural(result.sourceCount, 'file')}`;
  if (lines.length === 0) lines.push(`✔ ${scope}: no findings`);
  else lines.push(`${counts.errors > 0 ? '✘' : '✔'} ${scope}: ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${counts.info} info`);
  return `${lines.join('\n')}\n`;
}

function renderJson(result: LoadResult, resources: readonly Resource[], found: readonly Finding[], counts: Counts, namespace: string | undefined): string {
  const doc = {
    ok: counts.errors === 0,
    namespace: namespace ?? null,
    sources: result.sourceCount,
    resources: resources.length,
    summary: counts,
    issues: result.issues.map(issueJson),
    findings: found.map((f) => ({ ...f, text: formatFinding(f) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
