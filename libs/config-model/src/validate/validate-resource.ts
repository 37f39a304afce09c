import type { ConfigIssue } from '../issues.js';
import type { Resource } from '../kinds/registry.js';
import { validateObject } from './validate-object.js';

export interface ValidateResourceOptions {
  /**
   * Names where the object came from, e.g. an API server path: the `file` of the
   * resource's `source` and of every issue (at line 0, as there is no text to point into).
   */
  readonly source: string;
  /** Namespace for a namespaced object that names none; `default`, as kubectl assumes. */
  readonly defaultNamespace?: string;
}

export interface ValidateResourceResult {
  /** The typed, normalised resource; undefined when the object has an error. */
  readonly resource: Resource | undefined;
  /** Every error and warning found; each names its field path. */
  readonly issues: readonly ConfigIssue[];
}

/**
 * Validates one already-parsed object (JSON from an API server, not YAML text) by the
 * same rules as `parseConfig`. Without text there are no lines: issues carry the
 * source name and the field path only.
 */
export function validateResource(value: unknown, options: ValidateResourceOptions): ValidateResourceResult {
  const position = { file: options.source, line: 0, col: 0 };
  const result = validateObject({ file: options.source, value, position, locate: () => position }, { defaultNamespace: options.defaultNamespace ?? 'default' });
  return { resource: result.resource, issues: result.issues };
}
