import * as z from 'zod';
import { IssueCode } from '../issues.js';
import { didYouMean } from './suggest.js';

/** What a custom issue carries in zod's `params`, read back by toConfigIssues. */
export interface IssueParams {
  readonly code: IssueCode;
  readonly hint?: string | undefined;
}

/** Adds an issue with one of our stable codes at `path` (relative to the refined value). */
export function report(
  ctx: z.RefinementCtx,
  code: IssueCode,
  message: string,
  options: { path?: PropertyKey[]; hint?: string | undefined } = {},
): void {
  const params: IssueParams = { code, hint: options.hint };
  ctx.addIssue({ code: 'custom', message, path: options.path ?? [], params: { ...params } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
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
