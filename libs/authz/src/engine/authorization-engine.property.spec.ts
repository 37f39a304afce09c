import type { securityV1 } from '@ambit/xds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, connection, exact, match, prefix, presence, rule, suffix, upsert, type ConnectionSpec } from '../__support__/policies.js';
import { PolicyStore } from '../policy/policy-store.js';
import { AuthorizationEngine } from './authorization-engine.js';

const RUNS = Number(process.env['AMBIT_FUZZ_RUNS'] ?? 300);

// Small domains, so that random policies and connections often meet.
const NAMESPACES = ['a', 'b', 'c'];
const ACCOUNTS = ['x', 'y'];
const IPS = ['10.0.0.1', '10.0.1.1', '192.168.0.1', '::ffff:10.0.0.1', '2001:db8::1', 'fd00::1'];
const BLOCKS = ['10.0.0.0/8', '10.0.0.0/24', '10.0.0.1', '192.168.0.0/16', '2001:db8::/32', '::/0', '0.0.0.0/0', '::ffff:10.0.0.0/104'];
const PORTS = [80, 443, 8080];

const connectionSpec: fc.Arbitrary<ConnectionSpec> = fc.record({
  from: fc.option(fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom(...ACCOUNTS)).map(([ns, sa]) => `${ns}/${sa}`), { nil: undefined }),
  sourceIp: fc.constantFrom(...IPS),
  destinationIp: fc.constantFrom(...IPS),
  port: fc.constantFrom(...PORTS),
});

const stringMatch: fc.Arbitrary<securityV1.StringMatch> = fc.oneof(
  fc.constantFrom(...NAMESPACES).map(exact),
  fc.constantFrom(...NAMESPACES).map((ns) => exact(`cluster.local/ns/${ns}/sa/x`)),
  fc.constantFrom('cluster.local/ns/a/', 'b', 'cluster').map(prefix),
  fc.constantFrom('/sa/y', 'c', '/ns/b/sa/x').map(suffix),
  fc.constant(presence),
);
const strings = fc.array(stringMatch, { maxLength: 2 });
const blocks = fc.array(fc.constantFrom(...BLOCKS).map(cidr), { maxLength: 2 });
const ports = fc.array(fc.constantFrom(...PORTS), { maxLength: 2 });

const matchArb: fc.Arbitrary<securityV1.Match> = fc
  .record({
    namespaces: strings,
    notNamespaces: strings,
    principals: strings,
    notPrincipals: strings,
    sourceIps: blocks,
    notSourceIps: blocks,
    destinationIps: blocks,
    notDestinationIps: blocks,
    destinationPorts: ports,
    notDestinationPorts: ports,
  })
  .map((fields) => match(fields));
const groupArb: fc.Arbitrary<securityV1.Group> = fc.array(fc.array(matchArb, { maxLength: 2 }), { maxLength: 3 }).map((clauses) => rule(...clauses));
const policyArb = (action: 'ALLOW' | 'DENY' | 'AUDIT', i: number): fc.Arbitrary<securityV1.Authorization> =>
  fc
    .record({ groups: fc.array(groupArb, { maxLength: 3 }), scope: fc.constantFrom('GLOBAL' as const, 'NAMESPACE' as const) })
    .map(({ groups, scope }) => authorization(`${scope === 'GLOBAL' ? 'istio-system' : 'a'}/${action.toLowerCase()}-${i}`, { action, scope, groups }));
const policiesArb = fc
  .tuple(fc.nat(3), fc.nat(3), fc.nat(1))
  .chain(([allow, deny, audit]) =>
    fc.tuple(...[...Array(allow).keys()].map((i) => policyArb('ALLOW', i)), ...[...Array(deny).keys()].map((i) => policyArb('DENY', i)), ...[...Array(audit).keys()].map((i) => policyArb('AUDIT', i))),
  );

function decide(policies: readonly securityV1.Authorization[], spec: ConnectionSpec) {
  const store = new PolicyStore();
  store.apply({ upserted: policies.map((p) => upsert(p)), removed: [] });
  return new AuthorizationEngine(store).decide(connection({ ...spec, namespace: 'a' }));
}

describe('AuthorizationEngine properties', () => {
  it('allows every connection when no policy applies', () => {
    fc.assert(
      fc.property(connectionSpec, (spec) => {
        expect(decide([], spec)).toMatchObject({ allowed: true, reason: 'no-allow-policies' });
      }),
      { numRuns: RUNS },
    );
  });

  it('a DENY of a principal beats any set of ALLOW policies', () => {
    fc.assert(
      fc.property(policiesArb, connectionSpec, fc.constantFrom(...NAMESPACES), fc.constantFrom(...ACCOUNTS), (policies, spec, ns, sa) => {
        const deny = authorization('a/deny-principal', { scope: 'NAMESPACE', action: 'DENY', groups: [rule([match({ principals: [exact(`cluster.local/ns/${ns}/sa/${sa}`)] })])] });
        expect(decide([...policies, deny], { ...spec, from: `${ns}/${sa}` }).allowed).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('a not- field matches exactly the connections its positive form does not', () => {
    const fields: [keyof securityV1.Match, keyof securityV1.Match, fc.Arbitrary<unknown[]>][] = [
      ['namespaces', 'notNamespaces', fc.array(stringMatch, { minLength: 1, maxLength: 3 })],
      ['principals', 'notPrincipals', fc.array(stringMatch, { minLength: 1, maxLength: 3 })],
      ['sourceIps', 'notSourceIps', fc.array(fc.constantFrom(...BLOCKS).map(cidr), { minLength: 1, maxLength: 3 })],
      ['destinationIps', 'notDestinationIps', fc.array(fc.constantFrom(...BLOCKS).map(cidr), { minLength: 1, maxLength: 3 })],
      ['destinationPorts', 'notDestinationPorts', fc.array(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 3 })],
    ];
    for (const [positive, negative, values] of fields) {
      fc.assert(
        fc.property(values, connectionSpec, (v, spec) => {
          const allow = (field: keyof securityV1.Match) => authorization('a/p', { scope: 'NAMESPACE', groups: [rule([match({ [field]: v })])] });
          expect(decide([allow(positive)], spec).allowed).toBe(!decide([allow(negative)], spec).allowed);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('adding an ALLOW policy never admits what a DENY refused, nor refuses what an ALLOW admitted', () => {
    fc.assert(
      fc.property(policiesArb, policyArb('ALLOW', 99), connectionSpec, (policies, extra, spec) => {
        const before = decide(policies, spec);
        const after = decide([...policies, extra], spec);
        if (before.reason === 'deny-policy-matched') expect(after).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: before.policy });
        if (before.reason === 'allow-policy-matched') expect(after.allowed).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('adding a DENY policy never admits what was refused', () => {
    fc.assert(
      fc.property(policiesArb, policyArb('DENY', 99), connectionSpec, (policies, extra, spec) => {
        if (!decide(policies, spec).allowed) expect(decide([...policies, extra], spec).allowed).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('AUDIT policies never change the decision', () => {
    fc.assert(
      fc.property(policiesArb, connectionSpec, (policies, spec) => {
        const withoutAudit = policies.filter((p) => p.action !== 2);
        const a = decide(policies, spec);
        const b = decide(withoutAudit, spec);
        expect([a.allowed, a.reason, a.policy, a.rule]).toEqual([b.allowed, b.reason, b.policy, b.rule]);
      }),
      { numRuns: RUNS },
    );
  });

  it('a plaintext connection never matches a rule that requires a principal or a namespace', () => {
    fc.assert(
      fc.property(fc.array(stringMatch, { minLength: 1, maxLength: 3 }), fc.boolean(), connectionSpec, (values, onPrincipals, spec) => {
        const allow = authorization('a/p', { scope: 'NAMESPACE', groups: [rule([match(onPrincipals ? { principals: values } : { namespaces: values })])] });
        expect(decide([allow], { ...spec, from: undefined }).allowed).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
