/**
 * The real control-plane binary as the benchmarks run it (a child process on a config
 * directory, ports picked free), and the waits and readings they share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../apps/control-plane/bin/control-plane.mjs', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
export const WAIT_TIMEOUT_MS = 60_000;

export interface RunningControlPlane {
  readonly child: ChildProcess;
  /** `127.0.0.1:<port>` of xDS and the CA. */
  readonly xds: string;
  readonly admin: string;
}

/** Starts the binary with `extraArgs` after the config, CA and address flags, and waits for `/ready`. */
export async function startControlPlane(configDir: string, caDir: string, extraArgs: readonly string[] = []): Promise<RunningControlPlane> {
  const [xdsPort, adminPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [BIN, '--config-dir', configDir, '--ca-dir', caDir, '--xds-address', `127.0.0.1:${xdsPort}`, '--admin-address', `127.0.0.1:${adminPort}`, '--log-level', 'warn', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the control plane exited with ${child.exitCode}:\n${stderr}`);
      return fetch(`http://127.0.0.1:${adminPort}/ready`).then(
        (response) => response.ok,
        () => false,
      );
    },
    'the control plane to be ready',
    READY_TIMEOUT_MS,
  );
  return { child, xds: `127.0.0.1:${xdsPort}`, admin: `127.0.0.1:${adminPort}` };
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The control plane's live JavaScript heap, from its own /metrics. */
export async function heapUsedMiB(admin: string): Promise<number> {
  const text = await (await fetch(`http://${admin}/metrics`)).text();
  const bytes = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return bytes === undefined ? Number.NaN : Number(bytes) / 1024 / 1024;
}

export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
