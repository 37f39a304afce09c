/**
 * A problem found in configuration. Issues are data, not exceptions: a load collects
 * every issue in every file so that a user sees all of them at once.
 */
export type IssueSeverity = 'error' | 'warning';

/** Stable codes; docs/errors.md lists them. */
export const IssueCode = {
  /** A file or directory could not be read. */
  Source: 'AMBIT_ERR_CONFIG_SOURCE',
  /** The text is not valid YAML or JSON. */
  Syntax: 'AMBIT_ERR_CONFIG_SYNTAX',
  /** A document is not an object with apiVersion and kind. */
  NotAResource: 'AMBIT_ERR_CONFIG_NOT_A_RESOURCE',
  /** apiVersion/kind is not one Ambit knows. */
  UnknownKind: 'AMBIT_ERR_CONFIG_UNKNOWN_KIND',
  /** A field that the kind does not have. */
  UnknownField: 'AMBIT_ERR_CONFIG_UNKNOWN_FIELD',
  /** A required field is missing. */
  Required: 'AMBIT_ERR_CONFIG_REQUIRED',
  /** A value of the wrong type (string where a number belongs, ...). */
  Type: 'AMBIT_ERR_CONFIG_TYPE',
  /** A value of the right type that is not allowed (range, enum, format). */
  Value: 'AMBIT_ERR_CONFIG_VALUE',
  /** Fields or resources that contradict each other. */
  Conflict: 'AMBIT_ERR_CONFIG_CONFLICT',
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/**
 * Where a value came from: 1-based line and column, as editors count. Line 0 means the
 * file as a whole (it could not be read at all).
 */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface ResourceRef {
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name: string;
}

export interface ConfigIssue {
  readonly severity: IssueSeverity;
  readonly code: IssueCode;
  readonly position: SourcePosition;
  /** The resource the issue is in, when the document got far enough to have one. */
  readonly resource?: ResourceRef | undefined;
  /** Field path inside the resource, e.g. `spec.http[0].route[1].weight`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string | undefined;
}

/** `file:line:col Kind namespace/name field.path: message (hint)`. */
export function formatIssue(issue: ConfigIssue): string {
  const { file, line, col } = issue.position;
  const parts = [line === 0 ? file : `${file}:${line}:${col}`];
  if (issue.resource !== undefined) {
    const { kind, namespace, name } = issue.resource;
    parts.push(`${kind} ${namespace === undefined ? name : `${namespace}/${name}`}`);
  }
  if (issue.path !== '') parts.push(issue.path);
  const hint = issue.hint === undefined ? '' : ` (${issue.hint})`;
  return `${parts.join(' ')}: ${issue.message}${hint}`;
}

/** Renders a path as users write it: `spec.http[0].route[1].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      const plain = /^[A-Za-z_][\w-]*$/.test(key);
      if (!plain) out += `[${JSON.stringify(key)}]`;
      else out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}
