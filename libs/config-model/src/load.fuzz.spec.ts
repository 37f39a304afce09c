import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatIssue, parseConfig, type LoadResult } from './index.js';

/**
 * No input crashes the loader: random text, random JSON values and mutations of valid
 * resources all end in issues, never in an exception, and every issue points inside
 * the file it names.
 */
const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 200);

function validCorpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.includes(`__fixtures__/valid/`) && /\.(ya?ml|json)$/.test(path)) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(here, 'kinds'));
  return out;
}

function checkWellFormed(text: string, result: LoadResult): void {
  const lines = text.split('\n').length;
  for (const issue of result.issues) {
    expect(issue.position.line).toBeGreaterThanOrEqual(1);
    expect(issue.position.line).toBeLessThanOrEqual(lines + 1);
    expect(formatIssue(issue)).toContain(issue.message);
  }
}

const load = (text: string): LoadResult => parseConfig([{ name: 'fuzz.yaml', text }]);

describe('loader robustness', () => {
  it('survives arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        checkWellFormed(text, load(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('survives arbitrary YAML values, and resources with random bodies', () => {
    const kinds = ['VirtualService', 'DestinationRule', 'Gateway', 'AuthorizationPolicy', 'Pod', 'Service', 'Telemetry', 'Secret'];
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...kinds), fc.jsonValue(), (value, kind, spec) => {
        const group = kind === 'Pod' || kind === 'Service' || kind === 'Secret' ? 'v1' : 'networking.istio.io/v1';
        for (const doc of [value, { apiVersion: group, kind, metadata: { name: 'x' }, spec }]) {
          const text = stringify(doc);
          checkWellFormed(text, load(text));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('survives mutations of valid resources', () => {
    const corpus = validCorpus();
    expect(corpus.length).toBeGreaterThan(0);
    const mutation = fc.record({
      file: fc.nat(corpus.length - 1),
      at: fc.nat(),
      length: fc.nat(40),
      insert: fc.string({ maxLength: 12 }),
    });
    fc.assert(
      fc.property(mutation, ({ file, at, length, insert }) => {
        const original = corpus[file]!;
        const start = at % (original.length + 1);
        const text = original.slice(0, start) + insert + original.slice(start + length);
        checkWellFormed(text, load(text));
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
