import type { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, connection, exact, match, prefix, presence, rule, upsert, type ConnectionSpec } from '../__support__/policies.js';
import { PolicyStore } from '../policy/policy-store.js';
import { AuthorizationEngine } from './authorization-engine.js';

function engineWith(...policies: securityV1.Authorization[]): { engine: AuthorizationEngine; store: PolicyStore } {
  const store = new PolicyStore();
  store.apply({ upserted: policies.map((p) => upsert(p)), removed: [] });
  return { engine: new AuthorizationEngine(store), store };
}

function decide(policies: securityV1.Authorization[], spec: ConnectionSpec = {}) {
  return engineWith(...policies).engine.decide(connection(spec));
}

const fromNamespace = (ns: string) => rule([match({ namespaces: [exact(ns)] })]);

describe('AuthorizationEngine: evaluation order', () => {
  it('allows everything when no policy applies', () => {
    expect(decide([], { from: 'a/b' })).toEqual({ allowed: true, reason: 'no-allow-policies', policy: undefined, rule: undefined, audits: [], dryRun: [] });
  });

  it('refuses on a matching DENY even when an ALLOW matches too', () => {
    const d = decide(
      [authorization('bank/allow', { scope: 'NAMESPACE', groups: [fromNamespace('shop')] }), authorization('bank/deny', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match({ destinationPorts: [1] })]), fromNamespace('shop')] })],
      { from: 'shop/web', namespace: 'bank' },
    );
    expect(d).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: 'bank/deny', rule: 1 });
  });

  it('allows on a matching ALLOW, naming the policy and rule', () => {
    const d = decide([authorization('bank/allow', { scope: 'NAMESPACE', groups: [fromNamespace('x'), fromNamespace('shop')] })], { from: 'shop/web', namespace: 'bank' });
    expect(d).toMatchObject({ allowed: true, reason: 'allow-policy-matched', policy: 'bank/allow', rule: 1 });
  });

  it('refuses when ALLOW policies apply and none matches (an ALLOW policy means default deny)', () => {
    const d = decide([authorization('bank/allow', { scope: 'NAMESPACE', groups: [fromNamespace('x')] })], { from: 'shop/web', namespace: 'bank' });
    expect(d).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched', policy: undefined });
  });

  it('walks the namespace, global, then named policies: the first matching DENY is reported', () => {
    const all = rule();
    const { engine } = engineWith(
      authorization('istio-system/global', { scope: 'GLOBAL', action: 'DENY', groups: [all] }),
      authorization('bank/local', { scope: 'NAMESPACE', action: 'DENY', groups: [all] }),
      authorization('bank/named', { action: 'DENY', groups: [all] }),
    );
    expect(engine.decide(connection({ namespace: 'bank', policies: ['bank/named'] })).policy).toBe('bank/local');
    expect(engine.decide(connection({ namespace: 'shop', policies: ['bank/named'] })).policy).toBe('istio-system/global');
  });

  it('returns the same precomputed decision for every connection it decides alike (no allocation)', () => {
    const { engine } = engineWith(authorization('bank/allow', { scope: 'NAMESPACE', groups: [fromNamespace('shop')] }));
    const c = connection({ from: 'shop/web', namespace: 'bank' });
    expect(engine.decide(c)).toBe(engine.decide(c));
    expect(engine.decide(connection({ namespace: 'bank' }))).toBe(engine.decide(connection({ namespace: 'bank', sourceIp: '10.9.9.9' })));
  });
});

describe('AuthorizationEngine: scopes', () => {
  const deny = (key: string, scope: 'GLOBAL' | 'NAMESPACE' | 'WORKLOAD_SELECTOR') => authorization(key, { scope, action: 'DENY', groups: [rule()] });

  it('applies GLOBAL policies to every namespace', () => {
    const { engine } = engineWith(deny('istio-system/all', 'GLOBAL'));
    for (const namespace of ['a', 'b', 'istio-system']) expect(engine.decide(connection({ namespace })).allowed).toBe(false);
  });

  it('applies NAMESPACE policies to their namespace only', () => {
    const { engine } = engineWith(deny('bank/all', 'NAMESPACE'));
    expect(engine.decide(connection({ namespace: 'bank' })).allowed).toBe(false);
    expect(engine.decide(connection({ namespace: 'shop' })).allowed).toBe(true);
  });

  it('applies WORKLOAD_SELECTOR policies only where the workload names them', () => {
    const { engine } = engineWith(deny('bank/selected', 'WORKLOAD_SELECTOR'));
    expect(engine.decide(connection({ namespace: 'bank' })).allowed).toBe(true);
    expect(engine.decide(connection({ namespace: 'bank', policies: ['bank/selected'] })).allowed).toBe(false);
  });

  it('applies a policy a workload names whatever its scope, as ztunnel looks it up by key, and evaluates it once', () => {
    const audit = authorization('istio-system/audit', { scope: 'GLOBAL', action: 'AUDIT', groups: [rule()] });
    const other = authorization('shop/ns-deny', { scope: 'NAMESPACE', action: 'DENY', groups: [rule()] });
    const { engine } = engineWith(audit, other);
    const d = engine.decide(connection({ namespace: 'bank', policies: ['istio-system/audit', 'shop/ns-deny'] }));
    expect(d).toMatchObject({ allowed: false, policy: 'shop/ns-deny', audits: [{ policy: 'istio-system/audit', action: 'AUDIT', rule: 0 }] });
  });

  it('refuses when a named policy is missing from the store (ztunnel would skip it)', () => {
    const d = decide([], { namespace: 'bank', policies: ['istio-system/istio_converted_static_strict'] });
    expect(d).toMatchObject({ allowed: false, reason: 'policy-missing', policy: 'istio-system/istio_converted_static_strict' });
  });
});

describe('AuthorizationEngine: rules, clauses and matches (ztunnel rbac_empty_policy, rbac_nesting)', () => {
  const allowWith = (...groups: securityV1.Group[]) => decide([authorization('bank/p', { scope: 'NAMESPACE', groups })], { from: 'a/b', namespace: 'bank', port: 80 });

  it('an ALLOW without rules matches nothing', () => expect(allowWith().allowed).toBe(false));
  it('a rule without clauses matches everything', () => expect(allowWith(rule()).allowed).toBe(true));
  it('a clause without matches holds', () => expect(allowWith({ rules: [{ matches: [] }] }).allowed).toBe(true));
  it('an empty match in an ALLOW matches nothing', () => expect(allowWith(rule([match()])).allowed).toBe(false));
  it('an empty match in a DENY matches everything (the HTTP attributes it stood for are dropped)', () => {
    expect(decide([authorization('bank/p', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match()])] })], { namespace: 'bank' }).allowed).toBe(false);
  });
  it('a DENY without rules matches nothing', () => {
    expect(decide([authorization('bank/p', { scope: 'NAMESPACE', action: 'DENY' })], { namespace: 'bank' }).allowed).toBe(true);
  });

  it('ANDs clauses and ORs matches within a clause', () => {
    const g = rule([match({ namespaces: [exact('x')] }), match({ namespaces: [exact('a')] })], [match({ destinationPorts: [80] })]);
    expect(allowWith(g).allowed).toBe(true);
    expect(decide([authorization('bank/p', { scope: 'NAMESPACE', groups: [g] })], { from: 'a/b', namespace: 'bank', port: 81 }).allowed).toBe(false);
    expect(decide([authorization('bank/p', { scope: 'NAMESPACE', groups: [g] })], { from: 'c/b', namespace: 'bank', port: 80 }).allowed).toBe(false);
  });

  it('ANDs the fields of one match', () => {
    const g = rule([match({ namespaces: [exact('a')], destinationPorts: [80], sourceIps: [cidr('10.0.0.0/8')] })]);
    const policy = authorization('bank/p', { scope: 'NAMESPACE', groups: [g] });
    expect(decide([policy], { from: 'a/b', namespace: 'bank', port: 80, sourceIp: '10.2.3.4' }).allowed).toBe(true);
    expect(decide([policy], { from: 'a/b', namespace: 'bank', port: 80, sourceIp: '11.2.3.4' }).allowed).toBe(false);
  });
});

describe('AuthorizationEngine: attributes (ztunnel rbac_test! cases)', () => {
  const single = (fields: Partial<securityV1.Match>) => [authorization('bank/p', { scope: 'NAMESPACE', groups: [rule([match(fields)])] })];
  const cases: [string, Partial<securityV1.Match>, ConnectionSpec, boolean][] = [
    ['namespaces', { namespaces: [exact('a')] }, { from: 'a/sa' }, true],
    ['namespaces, other', { namespaces: [exact('a')] }, { from: 'b/sa' }, false],
    ['namespaces, plaintext', { namespaces: [exact('a')] }, {}, false],
    ['notNamespaces', { notNamespaces: [exact('a')] }, { from: 'a/sa' }, false],
    ['notNamespaces, other', { notNamespaces: [exact('a')] }, { from: 'b/sa' }, true],
    ['notNamespaces, plaintext', { notNamespaces: [exact('a')] }, {}, true],
    ['principals', { principals: [exact('td/ns/a/sa/x')] }, { from: 'a/x', trustDomain: 'td' }, true],
    ['principals, other trust domain', { principals: [exact('td/ns/a/sa/x')] }, { from: 'a/x' }, false],
    ['principals, plaintext', { principals: [presence] }, {}, false],
    ['principals, prefix', { principals: [prefix('cluster.local/ns/a/')] }, { from: 'a/x' }, true],
    ['notPrincipals presence, plaintext (STRICT)', { notPrincipals: [presence] }, {}, true],
    ['notPrincipals presence, mTLS', { notPrincipals: [presence] }, { from: 'a/x' }, false],
    ['sourceIps', { sourceIps: [cidr('10.0.0.1')] }, { sourceIp: '10.0.0.1' }, true],
    ['sourceIps, IPv4-mapped source', { sourceIps: [cidr('10.0.0.1')] }, { sourceIp: '::ffff:10.0.0.1' }, true],
    ['sourceIps, other', { sourceIps: [cidr('10.0.0.1')] }, { sourceIp: '10.0.0.2' }, false],
    ['notSourceIps', { notSourceIps: [cidr('10.0.0.0/8')] }, { sourceIp: '10.0.0.1' }, false],
    ['notSourceIps, other', { notSourceIps: [cidr('10.0.0.0/8')] }, { sourceIp: '192.168.0.1' }, true],
    ['destinationIps', { destinationIps: [cidr('10.1.0.0/24')] }, { destinationIp: '10.1.0.9' }, true],
    ['notDestinationIps', { notDestinationIps: [cidr('10.1.0.0/24')] }, { destinationIp: '10.1.0.9' }, false],
    ['destinationIps IPv6', { destinationIps: [cidr('fd00::/8')] }, { destinationIp: 'fd12::1' }, true],
    ['destinationPorts', { destinationPorts: [8080] }, { port: 8080 }, true],
    ['destinationPorts, other', { destinationPorts: [8080] }, { port: 9090 }, false],
    ['notDestinationPorts', { notDestinationPorts: [8080] }, { port: 8080 }, false],
    ['notDestinationPorts, other', { notDestinationPorts: [8080] }, { port: 9090 }, true],
  ];

  it.each(cases)('%s', (_name, fields, spec, allowed) => {
    expect(decide(single(fields), { namespace: 'bank', ...spec }).allowed).toBe(allowed);
  });
});

describe('AuthorizationEngine: AUDIT and dry-run', () => {
  it('reports matching AUDIT policies without letting them decide', () => {
    const d = decide([authorization('istio-system/audit', { scope: 'GLOBAL', action: 'AUDIT', groups: [rule([match({ destinationPorts: [5432] })])] })], { port: 5432 });
    expect(d).toEqual({ allowed: true, reason: 'no-allow-policies', policy: undefined, rule: undefined, audits: [{ policy: 'istio-system/audit', action: 'AUDIT', rule: 0 }], dryRun: [] });
    expect(decide([authorization('istio-system/audit', { scope: 'GLOBAL', action: 'AUDIT', groups: [rule([match({ destinationPorts: [5432] })])] })], { port: 1 }).audits).toEqual([]);
  });

  it('reports audits on refusals too', () => {
    const d = decide([authorization('bank/audit', { scope: 'NAMESPACE', action: 'AUDIT', groups: [rule()] }), authorization('bank/deny', { scope: 'NAMESPACE', action: 'DENY', groups: [rule()] })], { namespace: 'bank' });
    expect(d).toMatchObject({ allowed: false, policy: 'bank/deny', audits: [{ policy: 'bank/audit' }] });
  });

  it('never enforces a dry-run policy, and reports its matches', () => {
    const dryDeny = authorization('bank/dry-deny', { scope: 'NAMESPACE', action: 'DENY', dryRun: true, groups: [rule()] });
    const dryAllow = authorization('bank/dry-allow', { action: 'ALLOW', dryRun: true, groups: [fromNamespace('nobody')] });
    const d = decide([dryDeny, dryAllow], { namespace: 'bank', policies: ['bank/dry-allow'] });
    expect(d).toEqual({ allowed: true, reason: 'no-allow-policies', policy: undefined, rule: undefined, audits: [], dryRun: [{ policy: 'bank/dry-deny', action: 'DENY', rule: 0 }] });
  });
});

describe('AuthorizationEngine: fail-closed inputs', () => {
  it('refuses a connection whose address does not parse', () => {
    expect(decide([], { sourceIp: 'not-an-ip' })).toMatchObject({ allowed: false, reason: 'malformed-connection' });
    expect(decide([], { destinationIp: '10.0.0.256' })).toMatchObject({ allowed: false, reason: 'malformed-connection' });
  });

  it('refuses every connection in scope of a DENY it could not compile', () => {
    const bad = authorization('bank/bad', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match({ sourceIps: [{ address: new Uint8Array(3), length: 8 }] })])] });
    const { engine, store } = engineWith(bad, authorization('bank/allow', { scope: 'NAMESPACE', groups: [rule()] }));
    expect(store.get('bank/bad')?.error?.field).toBe('groups[0].rules[0].matches[0].sourceIps[0].address');
    expect(engine.decide(connection({ namespace: 'bank' }))).toMatchObject({ allowed: false, reason: 'invalid-deny-policy', policy: 'bank/bad', rule: undefined });
    expect(engine.decide(connection({ namespace: 'shop' })).allowed).toBe(true);
  });

  it('keeps an ALLOW it could not compile in scope, matching nothing: only other ALLOW policies admit', () => {
    const bad = authorization('bank/bad', { scope: 'NAMESPACE', groups: [rule([match({ destinationPorts: [99999] })])] });
    expect(decide([bad], { namespace: 'bank', port: 99999 & 0xffff })).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched' });
    expect(decide([bad, authorization('bank/ok', { scope: 'NAMESPACE', groups: [fromNamespace('shop')] })], { namespace: 'bank', from: 'shop/x' })).toMatchObject({ allowed: true, policy: 'bank/ok' });
  });
});
