import * as z from 'zod';
import { IssueCode, type IssueSeverity } from '../issues.js';
import { didYouMean } from './suggest.js';

/** What a custom issue carries in zod's `params`, read back by toConfigIssues. */
export interface IssueParams {
  readonly code: IssueCode;
  readonly hint?: string | undefined;
  /** 'warning' for what Istio's validation accepts but warns about. */
  readonly severity?: IssueSeverity;
}

interface ReportOptions {
  readonly path?: PropertyKey[];
  readonly hint?: string | undefined;
}

/** Adds an error with one of our stable codes at `path` (relative to the refined value). */
export function report(ctx: z.RefinementCtx, code: IssueCode, message: string, options: ReportOptions = {}): void {
  const params: IssueParams = { code, hint: options.hint };
  ctx.addIssue({ code: 'custom', message, path: options.path ?? [], params: { ...params } });
}

let warningsEnabled = true;

/**
 * Adds a warning: the resource stays valid, the user is told (as Istio's validation
 * warns about deprecated fields or rules that can never match).
 */
export function warn(ctx: z.RefinementCtx, code: IssueCode, message: string, options: ReportOptions = {}): void {
  if (!warningsEnabled) return;
  const params: IssueParams = { code, hint: options.hint, severity: 'warning' };
  ctx.addIssue({ code: 'custom', message, path: options.path ?? [], params: { ...params } });
}

/**
 * Runs `parse` with warnings switched off. zod fails a parse on any issue, so a
 * resource with only warnings is parsed again this way to obtain its typed value.
 */
export function withoutWarnings<T>(parse: () => T): T {
  warningsEnabled = false;
  try {
    return parse();
  } finally {
    warningsEnabled = true;
  }
}

/** Whether a zod issue is one of our warnings. */
export function isWarning(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as Partial<IssueParams> | undefined)?.severity === 'warning';
}

/** Istio reads its API as proto3: an empty string is the same as leaving the field out. */
export function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object that rejects fields it does not define, as Kubernetes' strict field
 * validation and Istio's own validation do, suggesting the nearest known name.
 * (zod's strictObject cannot say which name was meant: its issue no longer knows the shape.)
 */
export function obj<const Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  const knownSet = new Set(known);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (!isRecord(value)) return;
      for (const key of Object.keys(value)) {
        if (!knownSet.has(key)) {
          report(ctx, IssueCode.UnknownField, `unknown field "${key}"`, { path: [key], hint: didYouMean(key, known) });
        }
      }
    },
    { when: () => true },
  ) as unknown as z.ZodObject<Shape, z.core.$strip>;
}

/** Fields of which at most one (or, with `required`, exactly one) may be set. */
export function exclusive(
  ctx: z.RefinementCtx,
  value: Record<string, unknown>,
  fields: readonly string[],
  options: { required?: boolean; path?: PropertyKey[] } = {},
): void {
  const set = fields.filter((f) => value[f] !== undefined && value[f] !== null);
  const base = options.path ?? [];
  if (set.length > 1) {
    report(ctx, IssueCode.Conflict, `only one of ${fields.join(', ')} may be set, found ${set.join(' and ')}`, {
      path: [...base, set[1]!],
    });
  } else if (set.length === 0 && options.required === true) {
    report(ctx, IssueCode.Required, `one of ${fields.join(', ')} is required`, { path: base });
  }
}

/**
 * Reports every item whose key an earlier item already has (an undefined key is never
 * a duplicate), at `path(index)`. `message` receives the key and where it was first
 * used: `where(index)`, or `index N`.
 */
export function reportDuplicates<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  key: (item: T) => string | undefined,
  options: {
    path: (index: number) => PropertyKey[];
    message: (key: string, first: string) => string;
    where?: (index: number) => string;
    hint?: string;
  },
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else report(ctx, IssueCode.Conflict, options.message(k, options.where?.(first) ?? `index ${first}`), { path: options.path(index), hint: options.hint });
  });
}
