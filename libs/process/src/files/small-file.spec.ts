import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmallFile } from './small-file.js';

const fail = (problem: string, cause?: unknown): Error => new Error(problem, { cause });

describe('readSmallFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambit-small-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file of up to maxBytes whole', async () => {
    await writeFile(join(dir, 'ok'), 'x'.repeat(16));
    expect((await readSmallFile(join(dir, 'ok'), 16, fail)).toString()).toBe('x'.repeat(16));
  });

  it('refuses a larger file without reading it all, and names a missing file by its errno code', async () => {
    await writeFile(join(dir, 'big'), 'x'.repeat(100_000));
    await expect(readSmallFile(join(dir, 'big'), 16, fail)).rejects.toThrow('is larger than 16 bytes');
    await expect(readSmallFile(join(dir, 'absent'), 16, fail)).rejects.toThrow('cannot be read (ENOENT)');
  });
});
