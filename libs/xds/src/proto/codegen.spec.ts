import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const generatedDir = fileURLToPath(new URL('../generated/', import.meta.url));
const script = fileURLToPath(new URL('../../scripts/codegen.mjs', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'ambit-xds-codegen-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function generatedFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('generated code', () => {
  it('is what scripts/codegen.mjs makes of proto/ today (run `npx nx run xds:codegen` after changing proto/)', () => {
    execFileSync(process.execPath, [script, '--out', outDir], { stdio: 'pipe' });
    expect(generatedFiles(generatedDir)).toEqual(generatedFiles(outDir));
    for (const name of generatedFiles(outDir)) {
      expect(readFileSync(join(generatedDir, name), 'utf8'), `src/generated/${name} is out of date`).toBe(readFileSync(join(outDir, name), 'utf8'));
    }
  });
});
