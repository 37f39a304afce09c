import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL, InvalidResourceError, MAX_RESOURCE_NAME_LENGTH, securityV1, workloadV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import type { Translated, TranslationDelta } from '../translator/index.js';
import { XdsCaches } from './xds-caches.js';

const address = (name: string, version: string): Translated<workloadV1.Address> => ({
  name,
  version,
  resource: workloadV1.Address.decode(workloadV1.Address.encode({ type: 'workload', workload: { uid: name, name } })),
});
const authorization = (name: string, version: string): Translated<securityV1.Authorization> => ({
  name,
  version,
  resource: securityV1.Authorization.decode(securityV1.Authorization.encode({ name, namespace: 'ns' })),
});
const none = { upserted: [], removed: [] };
const delta = (parts: Partial<Pick<TranslationDelta, 'addresses' | 'authorizations'>>): TranslationDelta => ({
  addresses: parts.addresses ?? none,
  authorizations: parts.authorizations ?? none,
  routeTables: none,
  clusters: none,
  listeners: none,
  recomputed: { workloads: 0, services: 0, authorizations: 0, l7: 0 },
});
const versions = (caches: XdsCaches, typeUrl: string): Record<string, string> => Object.fromEntries(caches.list(typeUrl).map((r) => [r.name, r.version]));

describe('XdsCaches', () => {
  it('applies a delta to each type and says what changed', () => {
    const caches = new XdsCaches();
    const applied = caches.applyDelta(delta({ addresses: { upserted: [address('a', '1'), address('b', '1')], removed: [] } }));
    expect([...applied.keys()]).toEqual([ADDRESS_TYPE_URL]);
    expect(versions(caches, ADDRESS_TYPE_URL)).toEqual({ a: '1', b: '1' });
    expect(caches.size(AUTHORIZATION_TYPE_URL)).toBe(0);
  });

  it('puts every cache back when a later one refuses its part of the batch', () => {
    const caches = new XdsCaches();
    caches.applyDelta(delta({ addresses: { upserted: [address('a', '1'), address('b', '1')], removed: [] }, authorizations: { upserted: [authorization('ns/p', '1')], removed: [] } }));
    const refused = delta({
      addresses: { upserted: [address('a', '2'), address('c', '1')], removed: ['b'] },
      authorizations: { upserted: [authorization('x'.repeat(MAX_RESOURCE_NAME_LENGTH + 1), '1')], removed: ['ns/p'] },
    });
    expect(() => caches.applyDelta(refused)).toThrow(InvalidResourceError);
    expect(versions(caches, ADDRESS_TYPE_URL)).toEqual({ a: '1', b: '1' });
    expect(versions(caches, AUTHORIZATION_TYPE_URL)).toEqual({ 'ns/p': '1' });
  });

  it('replaces everything with a full translation', () => {
    const caches = new XdsCaches();
    caches.applyDelta(delta({ addresses: { upserted: [address('a', '1'), address('b', '1')], removed: [] } }));
    caches.replaceAll({ addresses: [address('b', '2'), address('c', '1')], authorizations: [authorization('ns/p', '1')], routeTables: [], clusters: [], listeners: [] });
    expect(versions(caches, ADDRESS_TYPE_URL)).toEqual({ b: '2', c: '1' });
    expect(versions(caches, AUTHORIZATION_TYPE_URL)).toEqual({ 'ns/p': '1' });
  });
});
