import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { LineQueue, withTimeout } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/sample-echo.mjs', import.meta.url));

function start(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = new LineQueue();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.feed(chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr, exited };
}

function getJson(address: string, path: string): Promise<Record<string, unknown>> {
  return withTimeout(
    new Promise((resolve, reject) => {
      request(`http://${address}${path}`, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).once('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>));
      })
        .once('error', reject)
        .end();
    }),
    `an answer from ${address}`,
  );
}

describe('sample-echo, the program', () => {
  it('serves on the --listen addresses, logs each request, and exits 0 on SIGTERM', async () => {
    const { child, stderr, exited } = start(['--listen', '127.0.152.1:0', '--listen', '127.0.152.2:0', '--pod', 'ratings-v1', '--namespace', 'bookinfo', '--version', 'v1', '--app', 'ratings']);
    try {
      const started = await stderr.match(/sample-echo: started .* listen=(\S+)/, 10_000);
      const addresses = started[1]!.split(',');
      expect(addresses).toHaveLength(2);
      expect(await getJson(addresses[1]!, '/ratings/0')).toMatchObject({ app: 'ratings', version: 'v1', pod: 'ratings-v1', namespace: 'bookinfo', path: '/ratings/0' });
      await stderr.match(/sample-echo: request method=GET path=\/ratings\/0 status=200 caller=127\.0\.0\.1:\d+/, 5000);
      child.kill('SIGTERM');
      expect(await withTimeout(exited, 'sample-echo to stop')).toEqual({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a bad flag with exit status 2 and a message naming it', async () => {
    const { stderr, exited } = start(['--listen', 'nowhere', '--pod', 'p', '--namespace', 'n', '--version', 'v', '--app', 'a']);
    expect(await withTimeout(exited, 'sample-echo to exit')).toEqual({ code: 2, signal: null });
    expect(stderr.seen.join('\n')).toContain('sample-echo: AMBIT_ERR_SAMPLE_CONFIG: --listen "nowhere" is not valid');
  });
});
