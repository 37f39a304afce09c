import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';
import { LineQueue } from './line-queue.js';
import { thrown } from './thrown.js';
import { eventually, withTimeout } from './wait.js';

describe('withTimeout', () => {
  it('passes the result through, and names what it waited for when time runs out', async () => {
    expect(await withTimeout(Promise.resolve(7), 'seven')).toBe(7);
    await expect(withTimeout(new Promise(() => undefined), 'the reply', 5)).rejects.toThrow('timed out after 5 ms waiting for the reply');
  });
});

describe('eventually', () => {
  it('asks again until the probe gives a value', async () => {
    let calls = 0;
    expect(await eventually(() => (++calls === 3 ? 'done' : undefined), 'three calls')).toBe('done');
    expect(calls).toBe(3);
  });

  it('reports the last error of a probe that never succeeds', async () => {
    await expect(eventually(() => Promise.reject(new Error('refused')), 'the port', 30)).rejects.toThrow(/waiting for the port \(last error: Error: refused\)/);
  });
});

describe('AsyncQueue', () => {
  it('hands values out in order, to waiters first', async () => {
    const queue = new AsyncQueue<number>();
    const waiting = queue.next('the first');
    queue.push(1);
    queue.push(2);
    expect(await waiting).toBe(1);
    expect(queue.pending).toBe(1);
    expect(await queue.next('the second')).toBe(2);
    await expect(queue.next('a third', 5)).rejects.toThrow('waiting for a third');
  });
});

describe('LineQueue', () => {
  it('splits output into lines across chunks and skips to a match', async () => {
    const lines = new LineQueue();
    lines.feed('starting\nlisten');
    lines.feed('ing port=15012\n');
    expect((await lines.match(/port=(\d+)/))[1]).toBe('15012');
    expect(lines.seen).toEqual(['starting', 'listening port=15012']);
    await expect(lines.match(/ready/, 5)).rejects.toThrow(/so far: starting \| listening port=15012/);
  });
});

describe('thrown', () => {
  it('returns the expected error, and fails when there is none or another kind', () => {
    expect(thrown(RangeError, () => [].length.toFixed(-1)).message).toMatch(/argument/);
    expect(() => thrown(RangeError, () => undefined)).toThrow('expected RangeError to be thrown');
    expect(() =>
      thrown(RangeError, () => {
        throw new TypeError('other');
      }),
    ).toThrow(TypeError);
  });
});
