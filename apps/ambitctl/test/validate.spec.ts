import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './cli-harness.js';

const VALID = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: reviews
  namespace: bookinfo
`;
const INVALID = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: Reviews
  lables: {}
---
apiVersion: v1
kind: Namespce
metadata:
  name: x
`;

describe('ambitctl validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambitctl-'));
    await mkdir(join(dir, 'ok'));
    await writeFile(join(dir, 'ok', 'sa.yaml'), VALID);
    await writeFile(join(dir, 'bad.yaml'), INVALID);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and says so when everything is valid', async () => {
    const { code, stdout } = await run(['validate', '-f', join(dir, 'ok')]);
    expect(code).toBe(0);
    expect(stdout).toBe('✔ 1 resource in 1 file: valid\n');
  });

  it('prints every error with its position and exits 1', async () => {
    const bad = join(dir, 'bad.yaml');
    const { code, stdout } = await run(['validate', '-f', join(dir, 'ok'), '-f', bad]);
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      `${bad}:4:9 ServiceAccount default/Reviews metadata.name: "Reviews" must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character`,
      `${bad}:5:3 ServiceAccount default/Reviews metadata.lables: unknown field "lables" (did you mean "labels"?)`,
      `${bad}:8:7 Namespce x kind: unknown kind Namespce (v1) (did you mean "Namespace"?)`,
      '✘ 3 errors in 1 of 2 files (1 resource valid)',
      '',
    ]);
  });

  it('reads stdin with -f - and prints JSON for scripts', async () => {
    const { code, stdout } = await run(['validate', '-f', '-', '-o', 'json'], INVALID);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.valid).toBe(false);
    expect(doc.issues).toHaveLength(3);
    expect(doc.issues[1]).toMatchObject({
      code: 'AMBIT_ERR_CONFIG_UNKNOWN_FIELD',
      file: '<stdin>',
      line: 5,
      column: 3,
      kind: 'ServiceAccount',
      name: 'Reviews',
      path: 'metadata.lables',
      hint: 'did you mean "labels"?',
    });
  });

  it('applies --namespace to resources that name none', async () => {
    const { stdout } = await run(['validate', '-f', '-', '-n', 'shop', '-o', 'json'], 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n');
    expect(JSON.parse(stdout).resources[0]).toMatchObject({ namespace: 'shop', name: 'a', line: 1, column: 1 });
  });

  it('reports unreadable paths as errors, not crashes', async () => {
    const { code, stdout } = await run(['validate', '-f', join(dir, 'nope')]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${join(dir, 'nope')}: cannot read: no such file or directory`);
  });

  it.each([
    [['validate'], "required option '-f, --filename <path>' not specified"],
    [['validate', '-f', 'x', '-o', 'yaml'], "argument 'yaml' is invalid. must be one of text, json"],
    [['valdate'], "unknown command 'valdate'"],
    [[], 'Usage: ambitctl'],
  ])('exits 2 on usage error %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([[['--help']], [['validate', '--help']], [['--version']]])('%j prints and exits 0', async (argv) => {
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(0);
  });
});

describe('the installed ambitctl binary', () => {
  const bin = fileURLToPath(new URL('../bin/ambitctl.mjs', import.meta.url));

  it('validates stdin end to end with real exit codes', () => {
    const ok = spawnSync(process.execPath, [bin, 'validate', '-f', '-'], { input: VALID, encoding: 'utf8' });
    expect(ok.stdout).toBe('✔ 1 resource in 1 file: valid\n');
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'validate', '-f', '-'], { input: INVALID, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('<stdin>:5:3 ServiceAccount default/Reviews metadata.lables: unknown field');
    const usage = spawnSync(process.execPath, [bin, 'validate'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
