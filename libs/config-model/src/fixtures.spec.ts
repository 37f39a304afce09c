import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue, parseConfig } from './index.js';

/**
 * Table-driven fixtures. Every `__fixtures__/valid/*.yaml` must load with no issue.
 * Every `__fixtures__/invalid/*.yaml` declares the issues it must produce, one
 * comment line each: `# expect: LINE:COL TEXT` for an error, `# expect-warning: LINE:COL
 * TEXT` for a warning, where TEXT must appear in the formatted issue at exactly that
 * position. The file must produce no other issue.
 */
const here = dirname(fileURLToPath(import.meta.url));

function fixtureFiles(kind: 'valid' | 'invalid'): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry.name) && basename(dirname(path)) === kind && basename(dirname(dirname(path))) === '__fixtures__') out.push(path);
    }
  };
  walk(join(here, 'kinds'));
  return out.sort();
}

function load(path: string) {
  const name = relative(here, path);
  return { name, result: parseConfig([{ name, text: readFileSync(path, 'utf8') }]) };
}

describe('valid fixtures load without issues', () => {
  it.each(fixtureFiles('valid').map((f) => [relative(here, f), f]))('%s', (_name, path) => {
    const { result } = load(path);
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.resources.length).toBeGreaterThan(0);
  });
});

describe('invalid fixtures report exactly the expected issues', () => {
  it.each(fixtureFiles('invalid').map((f) => [relative(here, f), f]))('%s', (_name, path) => {
    const { name, result } = load(path);
    const expected = [...readFileSync(path, 'utf8').matchAll(/^#\s*expect(-warning)?:\s*(\d+):(\d+)\s+(.+?)\s*$/gm)].map((m) => ({
      severity: m[1] === undefined ? 'error' : 'warning',
      at: `${name}:${m[2]}:${m[3]}`,
      text: m[4]!,
    }));
    expect(expected.length, 'an invalid fixture declares at least one "# expect:" line').toBeGreaterThan(0);
    const actual = result.issues.map((issue) => `${issue.severity === 'warning' ? 'warning ' : ''}${formatIssue(issue)}`);
    for (const { severity, at, text } of expected) {
      const prefix = severity === 'warning' ? `warning ${at}` : at;
      expect(
        actual.some((line) => (line.startsWith(`${prefix} `) || line.startsWith(`${prefix}:`)) && line.includes(text)),
        `expected ${severity === 'warning' ? 'a warning' : 'an error'} at ${at} containing "${text}"; got:\n${actual.join('\n')}`,
      ).toBe(true);
    }
    expect(actual.length, `unexpected extra issues:\n${actual.join('\n')}`).toBe(expected.length);
  });
});
