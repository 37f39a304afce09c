import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { IssueCode } from '../issues.js';
import { exclusive, isWarning, obj, report, warn, withoutWarnings } from './object.js';

const match = obj({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() }).superRefine((value, ctx) => {
  exclusive(ctx, value, ['exact', 'prefix', 'regex'], { required: true });
});

describe('obj', () => {
  it('rejects unknown fields with the nearest known name, at the key', () => {
    const result = obj({ hosts: z.array(z.string()), http: z.array(z.unknown()).optional() }).safeParse({ hosts: [], htp: [] });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toMatchObject([
      { code: 'custom', path: ['htp'], message: 'unknown field "htp"', params: { code: IssueCode.UnknownField, hint: 'did you mean "http"?' } },
    ]);
  });

  it('reports unknown fields even when a known field is also wrong', () => {
    const result = obj({ port: z.int() }).safeParse({ port: 'x', prot: 1 });
    expect(result.error!.issues.map((i) => i.path)).toEqual([['port'], ['prot']]);
  });

  it('outputs exactly the declared fields', () => {
    expect(obj({ a: z.string() }).parse({ a: 'x' })).toEqual({ a: 'x' });
  });
});

describe('exclusive', () => {
  it('accepts exactly one field', () => {
    expect(match.safeParse({ prefix: '/' }).success).toBe(true);
  });

  it('names both fields when two are set, at the second', () => {
    const issues = match.safeParse({ exact: '/a', regex: '.*' }).error!.issues;
    expect(issues).toMatchObject([{ path: ['regex'], message: 'only one of exact, prefix, regex may be set, found exact and regex', params: { code: IssueCode.Conflict } }]);
  });

  it('requires one when asked to', () => {
    const issues = match.safeParse({}).error!.issues;
    expect(issues).toMatchObject([{ path: [], message: 'one of exact, prefix, regex is required', params: { code: IssueCode.Required } }]);
  });
});

describe('warnings', () => {
  const schema = obj({ name: z.string(), legacy: z.string().optional() }).superRefine((value, ctx) => {
    if (value.legacy !== undefined) warn(ctx, IssueCode.Value, 'legacy is deprecated', { path: ['legacy'], hint: 'use name' });
    if (value.name === '') report(ctx, IssueCode.Value, 'name must not be empty', { path: ['name'] });
  });

  it('are issues that carry the warning severity', () => {
    const issues = schema.safeParse({ name: 'a', legacy: 'x' }).error!.issues;
    expect(issues).toHaveLength(1);
    expect(isWarning(issues[0]!)).toBe(true);
  });

  it('are left out when parsing without warnings, so the value comes through', () => {
    expect(withoutWarnings(() => schema.safeParse({ name: 'a', legacy: 'x' }))).toMatchObject({ success: true, data: { name: 'a', legacy: 'x' } });
    expect(schema.safeParse({ name: 'a', legacy: 'x' }).success).toBe(false);
  });

  it('do not hide errors', () => {
    const issues = withoutWarnings(() => schema.safeParse({ name: '', legacy: 'x' })).error!.issues;
    expect(issues.map((i) => [i.message, isWarning(i)])).toEqual([['name must not be empty', false]]);
  });
});
