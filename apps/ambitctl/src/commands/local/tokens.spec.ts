import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newNodeToken, writeNodeTokens } from './tokens.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ambitctl-tokens-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('writeNodeTokens', () => {
  it("writes the control plane's node tokens file and one token file per node, readable by the owner only", async () => {
    const files = await writeNodeTokens(dir, ['node-a', 'node-b']);
    expect(files.tokensFile).toBe(join(dir, 'node-tokens.yaml'));
    expect(await mode(files.tokensFile)).toBe(0o600);
    expect(await mode(join(dir, 'tokens'))).toBe(0o700);
    const a = (await readFile(files.nodeFiles.get('node-a')!, 'utf8')).trim();
    const b = (await readFile(files.nodeFiles.get('node-b')!, 'utf8')).trim();
    for (const node of ['node-a', 'node-b']) expect(await mode(files.nodeFiles.get(node)!)).toBe(0o600);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    // The format control-plane's parseNodeTokens reads: a YAML list of { node, token }.
    expect(await readFile(files.tokensFile, 'utf8')).toBe(`# Written by \`ambitctl local up\` for this run: one bootstrap token per node.\n- node: "node-a"\n  token: "${a}"\n- node: "node-b"\n  token: "${b}"\n`);
  });

  it('writes new tokens on each run, drops nodes gone since, and tightens a loosened file', async () => {
    const first = await writeNodeTokens(dir, ['node-a', 'old']);
    const before = await readFile(first.nodeFiles.get('node-a')!, 'utf8');
    await chmod(first.tokensFile, 0o644);
    const second = await writeNodeTokens(dir, ['node-a']);
    expect(await readFile(second.nodeFiles.get('node-a')!, 'utf8')).not.toBe(before);
    expect(await readdir(join(dir, 'tokens'))).toEqual(['node-a.token']);
    expect(await mode(second.tokensFile)).toBe(0o600);
  });

  it('makes tokens of 256 random bits', () => {
    const tokens = new Set(Array.from({ length: 100 }, newNodeToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });
});
