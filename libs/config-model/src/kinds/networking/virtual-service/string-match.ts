import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { exclusive, obj, report } from '../../../schema/object.js';
import { checkRe2 } from '../../../schema/primitives.js';

/** Istio refuses regexes longer than this (Envoy's program-size limit, approximated by length). */
export const ISTIO_MAX_REGEX_LENGTH = 1024;

/** A regex as Istio accepts it in matches and rewrites: RE2 syntax, at most 1024 characters. */
export function checkIstioRegex(pattern: string): string | undefined {
  if (pattern === '') return 'regex must not be empty';
  if (pattern.length > ISTIO_MAX_REGEX_LENGTH) return `regex is longer than ${ISTIO_MAX_REGEX_LENGTH} characters`;
  return checkRe2(pattern);
}

export const RE2_HINT = 'Istio uses RE2 syntax: no look-around or back-references';

export interface StringMatchOptions {
  /** `prefix: ""` is allowed (uri matches: it matches every path). */
  readonly emptyPrefix?: boolean;
  /** `regex: "*"` is allowed and means "header present" (withoutHeaders). */
  readonly regexStar?: boolean;
}

/**
 * networking StringMatch: at most one of `exact`, `prefix`, `regex` (RE2). An empty
 * match (`{}`) is allowed: for headers and query parameters it means "present".
 */
export function stringMatch(options: StringMatchOptions = {}) {
  return obj({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional(),
  }).superRefine((m, ctx) => {
    exclusive(ctx, m, ['exact', 'prefix', 'regex']);
    if (m.prefix === '' && options.emptyPrefix !== true) {
      report(ctx, IssueCode.Value, 'prefix must not be empty', { path: ['prefix'], hint: 'use {} to match any value' });
    }
    if (m.regex !== undefined && !(options.regexStar === true && m.regex === '*')) {
      const err = checkIstioRegex(m.regex);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['regex'], hint: m.regex === '' ? undefined : RE2_HINT });
    }
  });
}

export type StringMatchOutput = z.output<ReturnType<typeof stringMatch>>;
