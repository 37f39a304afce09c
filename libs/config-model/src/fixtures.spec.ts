import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue, parseConfig } from './index.js';

/**
 * Table-driven fixtures. Every `__fixtures__/valid/*.yaml` must load with no issue.
 * Every `__fixtures__/invalid/*.yaml` declares the issues it must produce, one
 * comment line each: `# expect: LINE:COL TEXT`, where TEXT must appear in the formatted
 * issue at exactly that position. The file must produce no other issue.
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
    const expected = [...readFileSync(path, 'utf8').matchAll(/^#\s*expect:\s*(\d+):(\d+)\s+(.+?)\s*$/gm)].map((m) => ({
      at: `${name}:${m[1]}:${m[2]}`,
      text: m[3]!,
    }));
    expect(expected.length, 'an invalid fixture declares at least one "# expect:" line').toBeGreaterThan(0);
    const actual = result.issues.map(formatIssue);
    for (const { at, text } of expected) {
      expect(actual.some((line) => (line.startsWith(`${at} `) || line.startsWith(`${at}:`)) && line.includes(text)), `expected an issue at ${at} containing "${text}"; got:\n${actual.join('\n')}`).toBe(true);
    }
    expect(actual.length, `unexpected extra issues:\n${actual.join('\n')}`).toBe(expected.length);
  });
});
