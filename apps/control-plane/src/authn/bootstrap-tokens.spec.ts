import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BootstrapTokens, generateNodeToken, parseNodeTokens } from './bootstrap-tokens.js';
import { NodeTokensFileError, UnauthenticatedCallerError } from './errors.js';

const TOKEN_A = 'a'.repeat(32) + 'NodeA';
const TOKEN_B = generateNodeToken();
const signal = new AbortController().signal;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tokenFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ambit-node-tokens-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'node-tokens.yaml');
  await writeFile(file, text);
  return file;
}

async function started(text: string, now = new Date('2030-01-01T00:00:00Z')): Promise<BootstrapTokens> {
  const tokens = new BootstrapTokens(await tokenFile(text), { now: () => now });
  await tokens.start();
  return tokens;
}

function refusal(text: string): NodeTokensFileError {
  try {
    parseNodeTokens(text, 'tokens.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(NodeTokensFileError);
    return error as NodeTokensFileError;
  }
  throw new Error('expected the file to be refused');
}

describe('generateNodeToken', () => {
  it('makes 32 random bytes, base64url', () => {
    const token = generateNodeToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(generateNodeToken()).not.toBe(token);
  });
});

describe('parseNodeTokens', () => {
  it('reads nodes, token digests and expiries; several tokens per node are allowed', () => {
    const tokens = parseNodeTokens(`# written by ambitctl local up
- node: node-a
  token: ${TOKEN_A}
- node: node-b
  token: ${TOKEN_B}
  expires: 2031-06-01T12:00:00Z
- node: node-a
  token: ${generateNodeToken()}
`, 'tokens.yaml');
    expect(tokens.map((t) => [t.node, t.expires?.toISOString()])).toEqual([
      ['node-a', undefined],
      ['node-b', '2031-06-01T12:00:00.000Z'],
      ['node-a', undefined],
    ]);
    // Only digests are kept.
    expect(JSON.stringify(tokens)).not.toContain(TOKEN_A);
    expect(parseNodeTokens('', 'empty.yaml')).toEqual([]);
  });

  it.each([
    ['not YAML', '- node: [a\n', /^tokens\.yaml:\d+:\d+: not valid YAML/],
    ['not a list', 'node: a\n', /^tokens\.yaml:1:1: expected a list/],
    ['an entry that is not a map', '- just-a-string\n', /^tokens\.yaml:1:3: \[0\]: expected an entry/],
    ['a missing token', '- node: node-a\n', /^tokens\.yaml:1:3: \[0\]\.token is missing/],
    ['a missing node', `- token: ${TOKEN_A}\n`, /^tokens\.yaml:1:3: \[0\]\.node is missing/],
    ['an unknown field', `- node: node-a\n  token: ${TOKEN_A}\n  role: ztunnel\n`, /^tokens\.yaml:3:3: \[0\]: unknown field "role" \(expected node, token, expires\)/],
    ['a bad node name', `- node: Node_A\n  token: ${TOKEN_A}\n`, /^tokens\.yaml:1:9: \[0\]\.node "Node_A" is not a node name/],
    ['a short token', '- node: node-a\n  token: short\n', /^tokens\.yaml:2:10: \[0\]\.token must be 32 to 8192 characters .* this one has 5$/],
    ['a token with a space', `- node: node-a\n  token: "${TOKEN_A} x"\n`, /^tokens\.yaml:2:10: \[0\]\.token must be/],
    ['a number as token', '- node: node-a\n  token: 12345678901234567890123456789012345\n', /^tokens\.yaml:2:10: \[0\]\.token must be a string/],
    ['a token given twice', `- node: node-a\n  token: ${TOKEN_A}\n- node: node-b\n  token: ${TOKEN_A}\n`, /^tokens\.yaml:4:10: \[1\]\.token is the same as entry \[0\]'s/],
    ['a bad expiry', `- node: node-a\n  token: ${TOKEN_A}\n  expires: next week\n`, /^tokens\.yaml:3:12: \[0\]\.expires "next week" is not an RFC 3339 time/],
    ['a duplicate key', `- node: node-a\n  node: node-b\n  token: ${TOKEN_A}\n`, /not valid YAML/],
  ])('refuses %s, at its position, never quoting a token', (_, text, message) => {
    const error = refusal(text);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(TOKEN_A);
  });
});

describe('BootstrapTokens', () => {
  it('authenticates a node by any of its tokens', async () => {
    const tokens = await started(`- node: node-a\n  token: ${TOKEN_A}\n- node: node-b\n  token: ${TOKEN_B}\n`);
    expect(tokens.size).toBe(2);
    await expect(tokens.authenticate(TOKEN_A, signal)).resolves.toEqual({ kind: 'node', node: 'node-a', proof: 'bootstrap-token' });
    await expect(tokens.authenticate(TOKEN_B, signal)).resolves.toEqual({ kind: 'node', node: 'node-b', proof: 'bootstrap-token' });
  });

  it.each([
    ['an unknown token', `${TOKEN_A}x`, /not a node token of this control plane/],
    ['a token differing in one character', `${TOKEN_A.slice(0, -1)}B`, /not a node token/],
    ['an empty token', '', /not a node token/],
    ['an expired token', TOKEN_B, /the bearer token of node node-b expired at 2029-12-31T23:59:59\.000Z/],
  ])('refuses %s without quoting it', async (_, token, message) => {
    const tokens = await started(`- node: node-a\n  token: ${TOKEN_A}\n- node: node-b\n  token: ${TOKEN_B}\n  expires: 2029-12-31T23:59:59Z\n`);
    const error = await tokens.authenticate(token, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedCallerError);
    expect((error as Error).message).toMatch(message);
    if (token !== '') expect((error as Error).message).not.toContain(token);
  });

  it('accepts a token until its expiry', async () => {
    const tokens = await started(`- node: node-b\n  token: ${TOKEN_B}\n  expires: 2030-01-01T00:00:01Z\n`);
    await expect(tokens.authenticate(TOKEN_B, signal)).resolves.toMatchObject({ node: 'node-b' });
  });

  it('fails to start on a missing or invalid file, naming it', async () => {
    const missing = new BootstrapTokens('/nonexistent/ambit/node-tokens.yaml');
    await expect(missing.start()).rejects.toThrow(/^\/nonexistent\/ambit\/node-tokens\.yaml: cannot be read: ENOENT/);
    const file = await tokenFile('- node: node-a\n  token: short\n');
    await expect(new BootstrapTokens(file).start()).rejects.toThrow(new RegExp(`^${file.replaceAll('.', '\\.')}:2:10: \\[0\\]\\.token must be`));
  });
});
