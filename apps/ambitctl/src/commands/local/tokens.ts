import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the node tokens live in the state directory. */
export interface NodeTokenFiles {
  /** The control plane's `--node-tokens` file: every node's token. */
  readonly tokensFile: string;
  /** Each ztunnel's `--xds-token-file`, by node name. */
  readonly nodeFiles: ReadonlyMap<string, string>;
}

/**
 * A bootstrap token, as the control plane's generateNodeToken makes them: 32 random
 * bytes, base64url (43 characters, the control plane refuses fewer than 32).
 */
export function newNodeToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The node tokens file in the control plane's format (a YAML list of `{ node, token }`,
 * docs/control-plane.md), written fresh for each run with a new token per node, and one
 * file per node holding its token alone. Every file is created with mode 0600, the
 * tokens directory 0700: a token proves a node, which may then obtain certificates for
 * the workloads on it. Tokens of nodes from an earlier run are removed.
 */
export async function writeNodeTokens(stateDir: string, nodes: readonly string[]): Promise<NodeTokenFiles> {
  const dir = join(stateDir, 'tokens');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tokens = nodes.map((node) => ({ node, token: newNodeToken(), file: join(dir, `${node}.token`) }));
  const tokensFile = join(stateDir, 'node-tokens.yaml');
  const yaml = [
    '# Written by `ambitctl local up` for this run: one bootstrap token per node.',
    ...tokens.map(({ node, token }) => `- node: ${JSON.stringify(node)}\n  token: ${JSON.stringify(token)}`),
    '',
  ].join('\n');
  await writePrivate(tokensFile, yaml);
  for (const { token, file } of tokens) await writePrivate(file, `${token}\n`);
  return { tokensFile, nodeFiles: new Map(tokens.map(({ node, file }) => [node, file])) };
}

/** Created afresh (never an older file's mode) with mode 0600. */
async function writePrivate(file: string, text: string): Promise<void> {
  await rm(file, { force: true });
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
}
