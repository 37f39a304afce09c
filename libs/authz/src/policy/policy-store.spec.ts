import { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { authorization, match, rule, upsert } from '../__support__/policies.js';
import { PolicyStore } from './policy-store.js';

const keys = (policies: readonly { key: string }[]): string[] => policies.map((p) => p.key);

describe('PolicyStore', () => {
  it('files policies as ztunnel does: GLOBAL, NAMESPACE by namespace, WORKLOAD_SELECTOR by key only', () => {
    const store = new PolicyStore();
    store.apply({
      upserted: [
        upsert(authorization('istio-system/mesh', { scope: 'GLOBAL', action: 'DENY' })),
        upsert(authorization('bank/ns-allow', { scope: 'NAMESPACE' })),
        upsert(authorization('bank/selector', { scope: 'WORKLOAD_SELECTOR' })),
      ],
      removed: [],
    });
    expect(keys(store.global().deny)).toEqual(['istio-system/mesh']);
    expect(keys(store.namespace('bank').allow)).toEqual(['bank/ns-allow']);
    expect(keys(store.namespace('istio-system').deny)).toEqual([]);
    expect(store.get('bank/selector')?.key).toBe('bank/selector');
    expect(store.namespace('').deny).toEqual([]);
    expect(store.size).toBe(3);
  });

  it('splits a bucket by action and dry-run, each sorted by key', () => {
    const store = new PolicyStore();
    store.apply({
      upserted: ['c-allow', 'a-allow', 'b-deny', 'd-audit', 'e-dry'].map((name) =>
        upsert(
          authorization(`bank/${name}`, {
            scope: 'NAMESPACE',
            action: name.endsWith('deny') ? 'DENY' : name.endsWith('audit') ? 'AUDIT' : 'ALLOW',
            dryRun: name.endsWith('dry'),
          }),
        ),
      ),
      removed: [],
    });
    const bucket = store.namespace('bank');
    expect([keys(bucket.allow), keys(bucket.deny), keys(bucket.audit), keys(bucket.dryRun)]).toEqual([['bank/a-allow', 'bank/c-allow'], ['bank/b-deny'], ['bank/d-audit'], ['bank/e-dry']]);
  });

  it('reuses the compiled policy when the version is unchanged, and recompiles when it changes', () => {
    const store = new PolicyStore();
    const v1 = authorization('bank/p', { scope: 'NAMESPACE', groups: [rule([match({ destinationPorts: [80] })])] });
    expect(store.apply({ upserted: [upsert(v1, 'v1')], removed: [] })).toEqual({ compiled: 1, unchanged: 0, removed: 0, rejected: [] });
    const first = store.get('bank/p');
    expect(store.apply({ upserted: [upsert(v1, 'v1')], removed: [] })).toEqual({ compiled: 0, unchanged: 1, removed: 0, rejected: [] });
    expect(store.get('bank/p')).toBe(first);
    store.apply({ upserted: [upsert({ ...v1, scope: securityV1.Scope.GLOBAL }, 'v2')], removed: [] });
    expect(store.get('bank/p')).not.toBe(first);
    expect(keys(store.namespace('bank').allow)).toEqual([]);
    expect(keys(store.global().allow)).toEqual(['bank/p']);
  });

  it('removes policies from their bucket and ignores unknown names', () => {
    const store = new PolicyStore();
    store.apply({ upserted: [upsert(authorization('bank/a', { scope: 'NAMESPACE' })), upsert(authorization('bank/b', { scope: 'NAMESPACE' }))], removed: [] });
    expect(store.apply({ upserted: [], removed: ['bank/a', 'bank/nothing'] })).toMatchObject({ removed: 1 });
    expect(keys(store.namespace('bank').allow)).toEqual(['bank/b']);
    store.apply({ upserted: [], removed: ['bank/b'] });
    expect(store.namespace('bank').allow).toEqual([]);
    expect(store.get('bank/a')).toBeUndefined();
  });

  it('reports a policy it cannot compile, keeps it in force fail-closed, and replaces it with a valid version', () => {
    const store = new PolicyStore();
    const bad = authorization('bank/p', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match({ destinationPorts: [70000] })])] });
    const result = store.apply({ upserted: [upsert(bad, 'v1')], removed: [] });
    expect(result.rejected.map((e) => [e.policy, e.field])).toEqual([['bank/p', 'groups[0].rules[0].matches[0].destinationPorts[0]']]);
    expect(store.namespace('bank').deny[0]?.error).toBe(result.rejected[0]);
    store.apply({ upserted: [upsert({ ...bad, groups: [] }, 'v2')], removed: [] });
    expect(store.namespace('bank').deny[0]?.error).toBeUndefined();
  });

  it('applies removals before upserts, so a batch can replace a policy', () => {
    const store = new PolicyStore();
    store.apply({ upserted: [upsert(authorization('bank/p', { scope: 'NAMESPACE' }), 'v1')], removed: [] });
    store.apply({ upserted: [upsert(authorization('bank/p', { scope: 'NAMESPACE', action: 'DENY' }), 'v2')], removed: ['bank/p'] });
    expect(keys(store.namespace('bank').deny)).toEqual(['bank/p']);
  });
});
