import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_CODES, codeDoc, note } from './codes.js';

const DOC = readFileSync(new URL('../../../../docs/analysis.md', import.meta.url), 'utf8');

/** The rows of docs/analysis.md's code table: code → severity. */
const documented = new Map(
  [...DOC.matchAll(/^\| <a id="(amb\d{4})"><\/a>`(AMB\d{4})` \| (error|warning|info) \|/gm)].map((m) => {
    expect(m[1]).toBe(m[2]!.toLowerCase());
    return [m[2]!, m[3]!];
  }),
);

describe('the analysis code registry', () => {
  it('gives every code a unique AMBnnnn value in an area that exists', () => {
    const codes = ANALYSIS_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^AMB0[1-4]\d\d$/);
  });

  it('is documented, code by code and severity by severity, in docs/analysis.md', () => {
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(ANALYSIS_CODES.map((c) => [c.code, c.severity])));
    for (const { code } of ANALYSIS_CODES) expect(codeDoc(code)).toBe(`docs/analysis.md#${code.toLowerCase()}`);
  });

  it('names Istio codes only in their IST form, and documents them in the same row', () => {
    for (const info of ANALYSIS_CODES) {
      if (info.istio === undefined) continue;
      expect(info.istio).toMatch(/^IST\d{4}$/);
      expect(DOC).toMatch(new RegExp(`\`${info.code}\` \\|.*\\| ${info.istio}`));
    }
  });

  it('builds notes that carry the code, severity and reason, with path and hint only when given', () => {
    expect(note('SubsetNotFound', 'm')).toEqual({ code: 'AMB0103', severity: 'error', reason: 'NotFound', message: 'm' });
    expect(note('NotCaptured', 'm', { path: 'p', hint: 'h' })).toEqual({ code: 'AMB0208', severity: 'info', reason: 'NotCaptured', message: 'm', path: 'p', hint: 'h' });
  });
});
