import type * as z from 'zod';
import { IssueCode, formatPath, type ConfigIssue, type ResourceRef, type SourcePosition } from '../issues.js';
import type { IssueParams } from './object.js';
import { didYouMean } from './suggest.js';

/** Finds where a path (relative to the resource) sits in the source text. */
export type Locate = (path: readonly PropertyKey[], target?: 'key' | 'value') => SourcePosition;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'a list',
  record: 'a map',
  map: 'a map',
};

function describeValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `the string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === 'number' && !Number.isInteger(input)) return `the number ${input}`;
  return `${typeof input} ${String(input)}`;
}

interface Translated {
  severity?: 'warning';
  code: IssueCode;
  message: string;
  hint?: string | undefined;
  target?: 'key' | 'value';
}

function translate(issue: z.core.$ZodIssue): Translated {
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as Partial<IssueParams> | undefined;
      const unknownField = params?.code === IssueCode.UnknownField;
      return {
        severity: params?.severity === 'warning' ? 'warning' : undefined,
        code: params?.code ?? IssueCode.Value,
        message: issue.message,
        hint: params?.hint,
        target: unknownField ? 'key' : 'value',
      };
    }
    case 'invalid_type': {
      if (issue.input === undefined) return { code: IssueCode.Required, message: 'is required' };
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.expected === 'int' && typeof issue.input === 'number') {
        return { code: IssueCode.Value, message: `must be a whole number, got ${issue.input}` };
      }
      return { code: IssueCode.Type, message: `expected ${expected}, got ${describeValue(issue.input)}` };
    }
    case 'invalid_value': {
      if (issue.input === undefined) return { code: IssueCode.Required, message: 'is required' };
      // An enum of names given a number or a boolean (YAML reads `True` as a boolean): a type error.
      if (typeof issue.input !== 'string' && issue.values.every((v) => typeof v === 'string')) {
        return { code: IssueCode.Type, message: `expected a string, got ${describeValue(issue.input)}` };
      }
      const allowed = issue.values.map((v) => String(v));
      const input = String(issue.input);
      if (allowed.length === 1) return { code: IssueCode.Value, message: `must be ${JSON.stringify(allowed[0])}, got ${JSON.stringify(input)}` };
      return {
        code: IssueCode.Value,
        message: `${JSON.stringify(input)} is not one of ${allowed.join(', ')}`,
        hint: didYouMean(input, allowed),
      };
    }
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? 'at most' : 'at least';
      const limit = String(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const exclusive = issue.inclusive === false;
      const op = issue.code === 'too_big' ? (exclusive ? 'less than' : bound) : exclusive ? 'more than' : bound;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { code: IssueCode.Value, message: `must have ${op} ${limit} item${limit === '1' ? '' : 's'}` };
      }
      if (issue.origin === 'string') {
        if (issue.code === 'too_small' && limit === '1') return { code: IssueCode.Value, message: 'must not be empty' };
        return { code: IssueCode.Value, message: `must have ${op} ${limit} character${limit === '1' ? '' : 's'}` };
      }
      return { code: IssueCode.Value, message: `must be ${op} ${limit}, got ${String(issue.input)}` };
    }
    case 'invalid_union': {
      // The branches disagree on what was wrong; say the shape is not one of the forms.
      return { code: IssueCode.Type, message: `${describeValue(issue.input)} is not one of the accepted forms` };
    }
    case 'unrecognized_keys':
      return { code: IssueCode.UnknownField, message: `unknown field(s) ${issue.keys.join(', ')}`, target: 'key' };
    case 'invalid_format':
      return { code: IssueCode.Value, message: `is not a valid ${issue.format}` };
    default:
      return { code: IssueCode.Value, message: issue.message };
  }
}

/** Turns zod's issues for one resource into positioned ConfigIssues. */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  locate: Locate,
  resource: ResourceRef | undefined,
): ConfigIssue[] {
  return issues.map((issue) => {
    const t = translate(issue);
    return {
      severity: t.severity ?? 'error',
      code: t.code,
      position: locate(issue.path, t.target ?? 'value'),
      resource,
      path: formatPath(issue.path),
      message: t.message,
      hint: t.hint,
    };
  });
}
