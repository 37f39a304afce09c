import { eventually } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { describeExit, ManagedChild } from './child.js';

function collect(): { text: () => string; write: (chunk: string) => void } {
  let out = '';
  return { text: () => out, write: (chunk) => (out += chunk) };
}

const node = (script: string, name = 'demo') => {
  const stdout = collect();
  const stderr = collect();
  const child = new ManagedChild(name, process.execPath, ['-e', script], { stdout, stderr });
  return { child, stdout, stderr };
};

describe('ManagedChild', () => {
  it('forwards each line of its output with its name in front, and keeps the last ones', async () => {
    const { child, stdout, stderr } = node("process.stdout.write('one\\ntw'); setTimeout(() => { process.stdout.write('o\\nno newline'); console.error('oops'); process.exitCode = 3; }, 20)", 'ztunnel n1');
    expect(child.pid).toBeGreaterThan(0);
    expect(await child.exited).toEqual({ code: 3, signal: null });
    expect(stdout.text()).toBe('[ztunnel n1] one\n[ztunnel n1] two\n[ztunnel n1] no newline\n');
    expect(stderr.text()).toBe('[ztunnel n1] oops\n');
    expect(child.lastLines()).toEqual(['one', 'two', 'oops', 'no newline']);
    expect(child.running).toBe(false);
    expect(describeExit(await child.exited)).toBe('exited with code 3');
  });

  it('stops with SIGTERM, which a component drains on', async () => {
    const { child, stdout } = node("process.on('SIGTERM', () => { console.log('draining'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000)");
    await waitFor(() => stdout.text().includes('up'));
    expect(await child.stop(5000)).toEqual({ code: 0, signal: null });
    expect(stdout.text()).toContain('[demo] draining');
  });

  it('kills a child that does not stop within the grace time', async () => {
    const { child, stdout } = node("process.on('SIGTERM', () => console.log('ignoring')); console.log('up'); setInterval(() => {}, 1000)");
    await waitFor(() => stdout.text().includes('up'));
    const exit = await child.stop(200);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(describeExit(exit)).toBe('was killed by SIGKILL');
    expect(await child.stop(200)).toEqual(exit);
  });

  it('cuts a line too long to buffer', async () => {
    const { child, stdout } = node("process.stdout.write('x'.repeat(70000))");
    await child.exited;
    expect(stdout.text().split('\n').map((l) => l.length)).toEqual([7 + 65536, 7 + 70000 - 65536, 0]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  await eventually(() => (condition() ? true : undefined), 'the child to print', 5000);
}
