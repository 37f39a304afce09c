import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBearerTokenFile } from './token-file.js';

const fail = (problem: string): Error => new Error(problem);

describe('readBearerTokenFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambit-token-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the one line of a token file', async () => {
    await writeFile(join(dir, 'token'), 'abc.DEF-_~+/==\n');
    expect(await readBearerTokenFile(join(dir, 'token'), fail)).toBe('abc.DEF-_~+/==');
  });

  it.each([
    ['empty', '\n', /^is empty$/],
    ['not a token', 'secret with spaces', /does not hold a bearer token: .* it has 18 characters$/],
    ['too large', 'x'.repeat(9000), /is larger than 8256 bytes/],
  ])('refuses a file that is %s, never quoting it', async (_, content, message) => {
    await writeFile(join(dir, 'bad'), content);
    const error = await readBearerTokenFile(join(dir, 'bad'), fail).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secret');
  });
});
