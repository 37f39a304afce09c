import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { IssueCode } from '../issues.js';
import { obj, report } from './object.js';
import { toConfigIssues, type Locate } from './to-issues.js';

const locate: Locate = (path, target = 'value') => ({ file: 'f.yaml', line: path.length + 1, col: target === 'key' ? 1 : 5 });

function issuesFor(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value, { reportInput: true });
  expect(result.success).toBe(false);
  return toConfigIssues(result.error!.issues, locate, { kind: 'VirtualService', namespace: 'default', name: 'r' });
}

describe('toConfigIssues', () => {
  const schema = obj({
    name: z.string(),
    weight: z.int().min(0).max(100).optional(),
    ratio: z.number().gt(0).optional(),
    mode: z.enum(['STRICT', 'PERMISSIVE', 'DISABLE']).optional(),
    required: z.enum(['A', 'B']).optional(),
    hosts: z.array(z.string()).min(1).optional(),
    label: z.string().min(1).optional(),
    short: z.string().max(3).optional(),
    either: z.union([z.string(), z.int()]).optional(),
    custom: z
      .string()
      .superRefine((v, ctx) => report(ctx, IssueCode.Conflict, `conflicts: ${v}`, { hint: 'pick one' }))
      .optional(),
  });

  it.each([
    ['missing required field', {}, IssueCode.Required, 'name', 'is required'],
    ['wrong type', { name: 3 }, IssueCode.Type, 'name', 'expected a string, got number 3'],
    ['list where an object belongs', { name: 'x', hosts: 'a' }, IssueCode.Type, 'hosts', 'expected a list, got the string "a"'],
    ['fraction where an integer belongs', { name: 'x', weight: 1.5 }, IssueCode.Value, 'weight', 'must be a whole number, got 1.5'],
    ['above the maximum', { name: 'x', weight: 120 }, IssueCode.Value, 'weight', 'must be at most 100, got 120'],
    ['below the minimum', { name: 'x', weight: -1 }, IssueCode.Value, 'weight', 'must be at least 0, got -1'],
    ['not above an exclusive minimum', { name: 'x', ratio: 0 }, IssueCode.Value, 'ratio', 'must be more than 0, got 0'],
    ['enum value', { name: 'x', mode: 'STRIKT' }, IssueCode.Value, 'mode', '"STRIKT" is not one of STRICT, PERMISSIVE, DISABLE'],
    ['enum given a boolean', { name: 'x', mode: true }, IssueCode.Type, 'mode', 'expected a string, got boolean true'],
    ['empty list', { name: 'x', hosts: [] }, IssueCode.Value, 'hosts', 'must have at least 1 item'],
    ['empty string', { name: 'x', label: '' }, IssueCode.Value, 'label', 'must not be empty'],
    ['long string', { name: 'x', short: 'abcd' }, IssueCode.Value, 'short', 'must have at most 3 characters'],
    ['none of a union', { name: 'x', either: true }, IssueCode.Type, 'either', 'boolean true is not one of the accepted forms'],
    ['custom rule', { name: 'x', custom: 'c' }, IssueCode.Conflict, 'custom', 'conflicts: c'],
    ['unknown field', { name: 'x', nmae: 1 }, IssueCode.UnknownField, 'nmae', 'unknown field "nmae"'],
  ])('%s', (_case, value, code, path, message) => {
    const [issue, ...rest] = issuesFor(schema, value);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ severity: 'error', code, path, message, resource: { name: 'r' } });
  });

  it('reports a missing required enum as required', () => {
    const [issue, ...rest] = issuesFor(obj({ mode: z.enum(['A', 'B']) }), {});
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: IssueCode.Required, path: 'mode', message: 'is required' });
  });

  it('suggests the nearest enum value and field name', () => {
    expect(issuesFor(schema, { name: 'x', mode: 'STRIKT' })[0]!.hint).toBe('did you mean "STRICT"?');
    expect(issuesFor(schema, { name: 'x', nmae: 1 })[0]!.hint).toBe('did you mean "name"?');
    expect(issuesFor(schema, { name: 'x', custom: 'c' })[0]!.hint).toBe('pick one');
  });

  it('points unknown fields at their key and other issues at their value', () => {
    expect(issuesFor(schema, { name: 'x', nmae: 1 })[0]!.position.col).toBe(1);
    expect(issuesFor(schema, { name: 3 })[0]!.position.col).toBe(5);
  });
});
