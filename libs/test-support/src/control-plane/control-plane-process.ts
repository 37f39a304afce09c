import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { LineQueue } from '../line-queue.js';
import { withTimeout } from '../wait.js';

// Proxies' tests cannot import the control plane's code; they run its built binary, as an operator would.
const CONTROL_PLANE_BIN = fileURLToPath(new URL('../../../../apps/control-plane/bin/control-plane.mjs', import.meta.url));

/** Nodes the control plane knows by a bootstrap token in every test mesh. */
export const TOKEN_NODES = ['node-a', 'node-b'] as const;

/**
 * A temporary work directory: `config/` (mesh YAML), `ca/` (the control plane's CA),
 * `node-tokens.yaml` with a bootstrap token per node of TOKEN_NODES, and each node's
 * token in `<node>.token` — what `ambitctl local up` writes.
 */
export interface MeshDir {
  readonly root: string;
  readonly configDir: string;
  readonly caDir: string;
  readonly nodeTokensFile: string;
  tokenFile(node: (typeof TOKEN_NODES)[number]): string;
  /** Writes a config file atomically, so the watcher never reads half of it. */
  write(name: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Creates the directory (named `<prefix>…` in the system's temporary directory) with `files` in `config/`. */
export async function createMeshDir(files: Record<string, string>, prefix = 'ambit-mesh-'): Promise<MeshDir> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const configDir = join(root, 'config');
  await mkdir(configDir);
  const dir: MeshDir = {
    root,
    configDir,
    caDir: join(root, 'ca'),
    nodeTokensFile: join(root, 'node-tokens.yaml'),
    tokenFile: (node) => join(root, `${node}.token`),
    write: async (name, text) => {
      await writeFile(join(root, `${name}.next`), text);
      await rename(join(root, `${name}.next`), join(configDir, name));
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  const tokens = TOKEN_NODES.map((node) => ({ node, token: randomBytes(32).toString('base64url') }));
  await writeFile(dir.nodeTokensFile, tokens.map(({ node, token }) => `- node: ${node}\n  token: ${token}\n`).join(''), { mode: 0o600 });
  for (const { node, token } of tokens) await writeFile(dir.tokenFile(node), `${token}\n`, { mode: 0o600 });
  for (const [name, text] of Object.entries(files)) await dir.write(name, text);
  return dir;
}

/** The control plane binary running as a child process on a mesh directory. */
export class ControlPlaneProcess {
  readonly child: ChildProcess;
  readonly lines = new LineQueue();
  readonly #exited: Promise<number | null>;
  xdsPort = 0;
  identity = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.lines.feed(chunk));
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts it and waits until it serves; `xdsPort` 0 lets the system pick (read back into `xdsPort`); `flags` are added (e.g. `--node-tokens`). */
  static async start(dir: MeshDir, xdsPort = 0, flags: readonly string[] = []): Promise<ControlPlaneProcess> {
    const child = spawn(
      process.execPath,
      [CONTROL_PLANE_BIN, '--config-dir', dir.configDir, '--ca-dir', dir.caDir, '--xds-address', `127.0.0.1:${xdsPort}`, '--admin-address', '127.0.0.1:0', '--node-tokens', dir.nodeTokensFile, ...flags],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AMBIT_LOG_LEVEL: 'info' } },
    );
    const process_ = new ControlPlaneProcess(child);
    try {
      process_.identity = (await process_.lines.match(/ ca started identity=(\S+)/))[1]!;
      process_.xdsPort = Number((await process_.lines.match(/ xds started address=127\.0\.0\.1:(\d+)/))[1]);
      await process_.lines.match(/ ready /);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return process_;
  }

  /** SIGTERM, then waits for the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return withTimeout(this.#exited, 'the control plane to exit');
  }
}
