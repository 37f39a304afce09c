import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSources } from '@ambit/config-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../__support__/recorder.js';
import { comparePaths, isWithin, outermost } from './path-order.js';

let dir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ path: dir, remove: removeDir } = await tempDir('path-order'));
});
afterEach(() => removeDir());

describe('comparePaths', () => {
  it('orders files exactly as readSources reads a directory', async () => {
    const files = ['a-b/x.yaml', 'a/x.yaml', 'a/b/c.yaml', 'a.yaml', 'B.yaml', 'b/a.json', 'a/Z.yml', 'ab.yaml', 'a/b.yaml'];
    for (const file of files) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), '');
    }
    const { sources } = await readSources([dir]);
    const readOrder = sources.map((s) => s.name);
    expect([...readOrder].reverse().sort(comparePaths)).toEqual(readOrder);
    expect(readOrder.map((p) => p.slice(dir.length + 1))).toEqual(['B.yaml', 'a/Z.yml', 'a/b/c.yaml', 'a/b.yaml', 'a/x.yaml', 'a-b/x.yaml', 'a.yaml', 'ab.yaml', 'b/a.json']);
  });
});

describe('isWithin and outermost', () => {
  it('treats a path as within itself and its ancestors, never within a sibling sharing a prefix', () => {
    expect(isWithin('/c/a/x.yaml', '/c/a')).toBe(true);
    expect(isWithin('/c/a', '/c/a')).toBe(true);
    expect(isWithin('/c/ab/x.yaml', '/c/a')).toBe(false);
    expect(isWithin('/c/a', '/')).toBe(true);
  });

  it('keeps only the paths no other contains, in path order', () => {
    expect(outermost(['/c/a/x.yaml', '/c/ab', '/c/a', '/c/a/b/c', '/c/a-b/y.yaml', '/c/ab/z'])).toEqual(['/c/a', '/c/a-b/y.yaml', '/c/ab']);
  });
});
