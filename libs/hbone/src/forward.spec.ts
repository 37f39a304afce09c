import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forward } from './forward.js';

/** A writable that records each `_write`/`_writev` call; with `hold`, they complete only after `release`. */
function recorder(options: { hold?: boolean } = {}) {
  const calls: string[][] = [];
  const pending: (() => void)[] = [];
  let holding = options.hold ?? false;
  const finish = (callback: () => void): void => {
    if (holding) pending.push(callback);
    else callback();
  };
  const writable = new Writable({
    highWaterMark: 32,
    write(chunk: Buffer, _encoding, callback) {
      calls.push([chunk.toString()]);
      finish(callback);
    },
    writev(chunks, callback) {
      calls.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      finish(callback);
    },
  });
  const release = (): void => {
    holding = false;
    for (const callback of pending.splice(0)) callback();
  };
  return { writable, calls, release };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('forward', () => {
  it('writes the first chunk of a turn at once and the rest of the turn as one batch', async () => {
    const from = new PassThrough();
    const { writable, calls } = recorder();
    let counted = 0;
    forward(from, writable, 1024 * 1024, (bytes) => (counted += bytes));
    for (const text of ['a', 'bb', 'ccc', 'dddd']) from.write(text);
    await nextTurn();
    await nextTurn();
    expect(calls).toEqual([['a'], ['bb', 'ccc', 'dddd']]);
    expect(counted).toBe(10);
    // A later lone chunk is not held back for a batch.
    from.write('e');
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calls.at(-1)).toEqual(['e']);
  });

  it('pauses the source once the limit waits in the destination, and resumes on drain', async () => {
    const from = new PassThrough({ highWaterMark: 16 });
    const { writable, calls, release } = recorder({ hold: true });
    forward(from, writable, 64, () => undefined);
    const chunk = Buffer.alloc(16, 120);
    // The source's own buffer takes what forward does not read any more.
    for (let i = 0; i < 20; i++) from.write(chunk);
    await nextTurn();
    await nextTurn();
    expect(from.isPaused()).toBe(true);
    // Bounded: the limit plus one chunk, not everything the source holds.
    expect(writable.writableLength).toBeLessThanOrEqual(64 + 16);
    expect(from.readableLength).toBeGreaterThan(0);
    expect(calls.flat().join('').length).toBeLessThan(16 * 20);
    const drained = once(writable, 'drain');
    release();
    await drained;
    // Resumed: everything arrives in the end, in order.
    from.end();
    await once(from, 'end');
    await nextTurn();
    expect(calls.flat().join('')).toBe('x'.repeat(16 * 20));
  });

  it('starts a source its owner paused', async () => {
    const from = new PassThrough();
    from.pause();
    from.write('waiting');
    const { writable, calls } = recorder();
    forward(from, writable, 1024, () => undefined);
    await nextTurn();
    expect(calls.flat()).toEqual(['waiting']);
  });

  it('never waits below the mark of the destination, where no drain would come', async () => {
    const from = new PassThrough();
    const { writable, calls, release } = recorder({ hold: true });
    forward(from, writable, 1, () => undefined);
    from.write('one');
    from.write('two');
    await nextTurn();
    // Two chunks are over the limit of 1 byte but under the writable's mark of 32: still flowing.
    expect(from.isPaused()).toBe(false);
    release();
    from.end('three');
    await once(from, 'end');
    await nextTurn();
    expect(calls.flat().join('')).toBe('onetwothree');
  });

  it('drops what arrives after the destination ended, without an error', async () => {
    const from = new PassThrough();
    const { writable, calls } = recorder();
    const errors: Error[] = [];
    writable.on('error', (error) => errors.push(error));
    forward(from, writable, 1024, () => undefined);
    writable.end();
    from.write('late');
    await nextTurn();
    expect(calls).toEqual([]);
    expect(errors).toEqual([]);
  });
});
