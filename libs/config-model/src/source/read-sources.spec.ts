import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssueCode } from '../issues.js';
import { readSources } from './read-sources.js';

describe('readSources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambit-sources-'));
    await mkdir(join(dir, 'b', 'nested'), { recursive: true });
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'a.yaml'), 'a: 1\n');
    await writeFile(join(dir, 'b', 'c.yml'), 'c: 1\n');
    await writeFile(join(dir, 'b', 'nested', 'd.json'), '{"d": 1}');
    await writeFile(join(dir, 'b', 'notes.txt'), 'not config');
    await writeFile(join(dir, 'big.yaml'), 'x'.repeat(2048));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('walks directories recursively in name order, taking only yaml/yml/json', async () => {
    const { sources, issues } = await readSources([join(dir, 'a.yaml'), join(dir, 'b')]);
    expect(issues).toEqual([]);
    expect(sources.map((s) => s.name)).toEqual([join(dir, 'a.yaml'), join(dir, 'b', 'c.yml'), join(dir, 'b', 'nested', 'd.json')]);
    expect(sources[2]!.text).toBe('{"d": 1}');
  });

  it('reports a missing path and an empty directory, and still reads the rest', async () => {
    const { sources, issues } = await readSources([join(dir, 'missing.yaml'), join(dir, 'empty'), join(dir, 'a.yaml')]);
    expect(sources.map((s) => s.name)).toEqual([join(dir, 'a.yaml')]);
    expect(issues.map((i) => [i.code, i.position.file, i.message])).toEqual([
      [IssueCode.Source, join(dir, 'missing.yaml'), 'cannot read: no such file or directory'],
      [IssueCode.Source, join(dir, 'empty'), 'no configuration files found (*.yaml, *.yml, *.json)'],
    ]);
  });

  it('refuses files and stdin larger than the limit instead of buffering them', async () => {
    const file = await readSources([join(dir, 'big.yaml')], { maxFileBytes: 1024 });
    expect(file.sources).toEqual([]);
    expect(file.issues[0]!.message).toMatch(/2048 bytes, more than the 1024 accepted/);
    const stdin = await readSources(['-'], { maxFileBytes: 1024, stdin: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]) });
    expect(stdin.sources).toEqual([]);
    expect(stdin.issues[0]!.position.file).toBe('<stdin>');
  });

  it('reads - from stdin', async () => {
    const { sources } = await readSources(['-'], { stdin: Readable.from(['kind: ', 'Namespace\n']) });
    expect(sources).toEqual([{ name: '<stdin>', text: 'kind: Namespace\n' }]);
  });
});
