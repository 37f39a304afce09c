import { describe, expect, it } from 'vitest';
import type { ResourceChangeBatch } from './config-provider.js';
import { ListenerSet } from './listener-set.js';

const BATCH: ResourceChangeBatch = { upserted: [], removed: [{ group: '', kind: 'Namespace', namespace: '', name: 'shop' }] };

describe('ListenerSet', () => {
  it('delivers to every listener, reporting one that throws without stopping the others', () => {
    const errors: unknown[] = [];
    const set = new ListenerSet((error) => errors.push(error));
    const seen: string[] = [];
    set.add(() => seen.push('first'));
    set.add(() => {
      throw new Error('broken consumer');
    });
    set.add(() => seen.push('third'));
    set.emit(BATCH);
    expect(seen).toEqual(['first', 'third']);
    expect(errors).toEqual([new Error('broken consumer')]);
  });

  it('treats each subscription on its own, and stops one when asked', () => {
    const set = new ListenerSet(() => undefined);
    const seen: ResourceChangeBatch[] = [];
    const listener = (batch: ResourceChangeBatch): void => void seen.push(batch);
    const stopFirst = set.add(listener);
    set.add(listener);
    stopFirst();
    stopFirst();
    set.emit(BATCH);
    expect(seen).toEqual([BATCH]);
    set.clear();
    set.emit(BATCH);
    expect(seen).toHaveLength(1);
  });
});
