import { fileURLToPath } from 'node:url';
import { KINDS, loadConfig } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { run } from './cli-harness.js';

const examples = fileURLToPath(new URL('../../../examples', import.meta.url));

describe('the bundled examples', () => {
  it('are all valid', async () => {
    const { code, stdout } = await run(['validate', '-f', examples]);
    expect(stdout).toMatch(/^✔ \d+ resources in \d+ files: valid\n$/);
    expect(code).toBe(0);
  });

  it('cover every kind Ambit reads', async () => {
    const { resources } = await loadConfig([examples]);
    const seen = new Set(resources.map((r) => `${r.group}/${r.kind}`));
    const missing = KINDS.map((k) => `${k.group}/${k.kind}`).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });
});
