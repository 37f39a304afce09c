import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from './support/http.js';
import { createMeshDir, type MeshDir } from './support/mesh.js';
import { AsyncQueue, eventually, withTimeout } from '@ambit/test-support';

const BIN = fileURLToPath(new URL('../bin/control-plane.mjs', import.meta.url));

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function meshDir(): Promise<MeshDir> {
  const dir = await createMeshDir();
  cleanups.push(() => dir.cleanup());
  return dir;
}

// Runs dist/: `npx tsc -b tsconfig.lib.json` (or the Nx `test` target, which depends on `build`) first.
describe('the built binary', () => {
  it('starts on port 0, turns ready, and drains and exits 0 on SIGTERM', async () => {
    const dir = await meshDir();
    const child = spawn(process.execPath, [BIN, '--config-dir', dir.configDir, '--ca-dir', dir.caDir, '--xds-address', '127.0.0.1:0', '--admin-address', '127.0.0.1:0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, AMBIT_LOG_LEVEL: 'info' },
    });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const lines = new AsyncQueue<string>();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const text = stderr + chunk;
      const parts = text.split('\n');
      stderr = parts.pop()!;
      for (const line of parts) lines.push(line);
    });

    let admin: { host: string; port: number } | undefined;
    const seen: string[] = [];
    while (admin === undefined) {
      const line = await lines.next(`the admin stage's start line (so far: ${seen.join(' | ')})`);
      seen.push(line);
      const match = / admin started address=127\.0\.0\.1:(\d+)/.exec(line);
      if (match !== null) admin = { host: '127.0.0.1', port: Number(match[1]) };
    }
    expect(seen.some((line) => / ca started identity=spiffe:\/\/cluster\.local\/ns\/istio-system\/sa\/ambit-control-plane/.test(line))).toBe(true);
    expect(seen.some((line) => / xds started address=127\.0\.0\.1:\d+/.test(line))).toBe(true);
    await eventually(async () => ((await http(admin!, '/ready')).status === 200 ? true : undefined), '/ready to answer 200');

    child.kill('SIGTERM');
    expect(await withTimeout(exited, 'the process to exit after SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
  });
});
