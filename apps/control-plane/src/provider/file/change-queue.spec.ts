import { describe, expect, it } from 'vitest';
import { ChangeQueue } from './change-queue.js';

describe('ChangeQueue', () => {
  it('hands over what changed once, then nothing', () => {
    const queue = new ChangeQueue(10);
    expect(queue.take()).toBeUndefined();
    queue.add('/c/a.yaml');
    queue.add('/c/a.yaml');
    queue.add('/c/b.yaml');
    expect(queue.take()).toEqual({ paths: new Set(['/c/a.yaml', '/c/b.yaml']), full: false });
    expect(queue.take()).toBeUndefined();
  });

  it('drops the paths for one full rescan when more are pending than it keeps', () => {
    const queue = new ChangeQueue(2);
    for (const name of ['a', 'b', 'c', 'd']) queue.add(`/c/${name}.yaml`);
    expect(queue.take()).toEqual({ paths: new Set(), full: true });
    queue.add('/c/e.yaml');
    expect(queue.take()).toEqual({ paths: new Set(['/c/e.yaml']), full: false });
  });

  it('keeps the paths events named alongside a requested full rescan', () => {
    const queue = new ChangeQueue(10);
    queue.requestFullScan();
    queue.add('/c/a.yaml');
    expect(queue.take()).toEqual({ paths: new Set(['/c/a.yaml']), full: true });
  });
});
