import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KINDS, loadConfig } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { run } from './cli-harness.js';

/** Each folder under examples/ is one mesh's configuration, validated on its own. */
const examples = fileURLToPath(new URL('../../../examples', import.meta.url));
const meshes = readdirSync(examples, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe('the bundled examples', () => {
  it.each(meshes)('examples/%s is valid', async (mesh) => {
    const { code, stdout } = await run(['validate', '-f', join(examples, mesh)]);
    expect(stdout).toMatch(/^✔ \d+ resources in \d+ files: valid\n$/);
    expect(code).toBe(0);
  });

  it('examples/bookinfo analyzes clean: every reference resolves, every L7 rule has its waypoint', async () => {
    const { code, stdout } = await run(['analyze', '-f', join(examples, 'bookinfo')]);
    expect(stdout).toMatch(/^✔ \d+ resources in \d+ files: no findings\n$/);
    expect(code).toBe(0);
  });

  it('cover every kind Ambit reads', async () => {
    const loaded = await Promise.all(meshes.map((mesh) => loadConfig([join(examples, mesh)])));
    const seen = new Set(loaded.flatMap((l) => l.resources).map((r) => `${r.group}/${r.kind}`));
    const missing = KINDS.map((k) => `${k.group}/${k.kind}`).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });
});
