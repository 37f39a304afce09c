import { describe, expect, it } from 'vitest';
import { InvalidResourceError, XdsOptionError } from '../errors.js';
import { workloadV1 } from '../index.js';
import { workload } from '../__support__/fixtures.js';
import { MAX_RESOURCE_NAME_LENGTH, ResourceCache } from './resource-cache.js';
import { tableOf } from './resource-table.js';

describe('ResourceCache', () => {
  it('applies batches and tells listeners which names changed', () => {
    const cache = new ResourceCache(workloadV1.Address);
    const changes: (readonly string[])[] = [];
    tableOf(cache).listen((names) => changes.push(names));
    expect(cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }], ['b', { version: '1', resource: workload('b') }]] })).toEqual({ upserted: ['a', 'b'], removed: [] });
    expect(cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }]], removed: ['b', 'unknown'] })).toEqual({ upserted: [], removed: ['b'] });
    expect(cache.apply({ removed: ['unknown'] })).toEqual({ upserted: [], removed: [] });
    expect(changes).toEqual([['a', 'b'], ['b']]);
    expect([...cache.names()]).toEqual(['a']);
    expect(cache.size).toBe(1);
    expect(cache.get('a')?.version).toBe('1');
  });

  it('versions resources by content when no version is given', () => {
    const cache = new ResourceCache(workloadV1.Address);
    cache.apply({ upserted: [['a', { resource: workload('a') }]] });
    const first = cache.get('a')!.version;
    expect(cache.apply({ upserted: [['a', { resource: workload('a') }]] }).upserted).toEqual([]);
    cache.apply({ upserted: [['a', { resource: workload('a', { node: 'node-b' }) }]] });
    expect(cache.get('a')!.version).not.toBe(first);
  });

  it('replaces its whole content', () => {
    const cache = new ResourceCache(workloadV1.Address);
    cache.apply({ upserted: [['a', { version: '1', resource: workload('a') }], ['b', { version: '1', resource: workload('b') }]] });
    expect(cache.replaceAll([['b', { version: '2', resource: workload('b') }], ['c', { version: '1', resource: workload('c') }]])).toEqual({ upserted: ['b', 'c'], removed: ['a'] });
  });

  it.each([
    ['an empty name', [['', { version: '1', resource: workload('a') }]], [], 'has an empty name'],
    ['the wildcard name', [['*', { version: '1', resource: workload('a') }]], [], 'reserves for wildcard'],
    ['a long name', [['x'.repeat(MAX_RESOURCE_NAME_LENGTH + 1), { version: '1', resource: workload('a') }]], [], 'over the limit'],
    ['an empty version', [['a', { version: '', resource: workload('a') }]], [], 'versions are 1 to 256 characters'],
    ['a name twice', [['a', { version: '1', resource: workload('a') }], ['a', { version: '2', resource: workload('a') }]], [], 'appears twice'],
    ['a name upserted and removed', [['a', { version: '1', resource: workload('a') }]], ['a'], 'both upserted and removed'],
    ['a resource that does not encode', [['a', { version: '1', resource: { type: 'workload', workload: { uid: 5 } } as never }]], [], 'cannot be encoded'],
  ] as const)('refuses %s and applies nothing of the batch', (_what, upserted, removed, message) => {
    const cache = new ResourceCache(workloadV1.Address);
    cache.apply({ upserted: [['keep', { version: '1', resource: workload('keep') }]] });
    expect(() => cache.apply({ upserted: [['other', { version: '1', resource: workload('other') }], ...upserted], removed: [...removed, 'keep'] })).toThrow(InvalidResourceError);
    expect(() => cache.apply({ upserted, removed })).toThrow(message);
    expect([...cache.names()]).toEqual(['keep']);
  });

  it('refuses a resource larger than maxResourceBytes', () => {
    const cache = new ResourceCache(workloadV1.Address, { maxResourceBytes: 100 });
    expect(() => cache.apply({ upserted: [['a', { version: '1', resource: workload('x'.repeat(200)) }]] })).toThrow(/over the limit of 100/);
    expect(() => new ResourceCache(workloadV1.Address, { maxResourceBytes: 0 })).toThrow(XdsOptionError);
  });
});
