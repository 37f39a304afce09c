import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneProcess, createMeshDir, ztunnelXdsFlags } from './support/control-plane.js';
import { get } from './support/http.js';
import { meshFiles } from './support/mesh.js';
import { eventually, LineQueue, withTimeout } from '@ambit/test-support';

const BIN = fileURLToPath(new URL('../bin/ztunnel.mjs', import.meta.url));

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AMBIT_LOG_LEVEL: 'info' } });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines = new LineQueue();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => lines.feed(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, exited };
}

// Runs dist/ of both apps: the Nx `test` target builds them first.
describe('the built binary', () => {
  it('syncs from the control plane, turns ready, and drains and exits 0 on SIGTERM', async () => {
    const dir = await createMeshDir(meshFiles(8080, [['web-1', '127.77.1.2']]));
    cleanups.push(() => dir.cleanup());
    const controlPlane = await ControlPlaneProcess.start(dir);
    cleanups.push(() => controlPlane.stop());
    const { child, lines, exited } = run([
      ...ztunnelXdsFlags(dir, controlPlane),
      '--admin-address', '127.0.0.1:0',
      '--metrics-address', '127.0.0.1:0',
      '--readiness-address', '127.0.0.1:0',
      '--socks5-port', '0',
    ]);
    const started = await lines.match(/ztunnel: started .* readiness=127\.0\.0\.1:(\d+)/);
    const readiness = { host: '127.0.0.1', port: Number(started[1]) };
    await eventually(async () => ((await get(readiness, '/healthz/ready')).status === 200 ? true : undefined), 'readiness to turn 200');
    await lines.match(/socks5 listener opened workload=Kubernetes\/\/Pod\/demo\/client address=127\.77\.0\.10:\d+/);
    child.kill('SIGTERM');
    expect(await withTimeout(exited, 'ztunnel to exit after SIGTERM')).toEqual({ code: 0, signal: null });
    expect(lines.seen.some((line) => / SIGTERM received; draining/.test(line))).toBe(true);
  });

  it('exits 2 naming a bad flag, and 1 naming an unreadable certificate file', async () => {
    const usage = run(['--node-name', 'Node_A', '--xds-cert', 'x', '--xds-key', 'y', '--xds-root-cert', 'z']);
    expect(await withTimeout(usage.exited, 'exit')).toEqual({ code: 2, signal: null });
    expect(usage.lines.seen.join('\n')).toMatch(/AMBIT_ERR_ZTUNNEL_CONFIG: --node-name "Node_A" is not valid: expected a Kubernetes node name/);

    const missing = run(['--node-name', 'node-a', '--xds-cert', '/nonexistent/cert.pem', '--xds-key', '/nonexistent/key.pem', '--xds-root-cert', '/nonexistent/root.pem', '--admin-address', '127.0.0.1:0', '--metrics-address', '127.0.0.1:0', '--readiness-address', '127.0.0.1:0']);
    expect(await withTimeout(missing.exited, 'exit')).toEqual({ code: 1, signal: null });
    expect(missing.lines.seen.join('\n')).toMatch(/AMBIT_ERR_ZTUNNEL_CERT_FILE: \/nonexistent\/(cert|key|root)\.pem: cannot be read \(ENOENT\)/);
  });
});
