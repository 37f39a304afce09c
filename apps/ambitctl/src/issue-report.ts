import { formatIssue, type ConfigIssue } from '@ambit/config-model';

/** A config issue as one line of text: warnings say so, errors need no prefix. */
export function issueLine(issue: ConfigIssue): string {
  return `${issue.severity === 'warning' ? 'warning: ' : ''}${formatIssue(issue)}`;
}

/** A config issue in the JSON reports of `validate` and `analyze` (a stable shape, documented in docs/analysis.md). */
export function issueJson(issue: ConfigIssue): Record<string, unknown> {
  return {
    severity: issue.severity,
    code: issue.code,
    file: issue.position.file,
    line: issue.position.line,
    column: issue.position.col,
    kind: issue.resource?.kind,
    namespace: issue.resource?.namespace,
    name: issue.resource?.name,
    path: issue.path,
    message: issue.message,
    hint: issue.hint,
    text: formatIssue(issue),
  };
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
