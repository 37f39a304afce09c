import { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { authorization, cidr, connection, exact, match, rule } from '../__support__/policies.js';
import { ConnectionFacts } from '../engine/connection.js';
import { InvalidPolicyError } from '../errors.js';
import { compilePolicy, failClosedPolicy } from './compile-policy.js';

describe('compilePolicy', () => {
  it('keeps the key, version, scope, action and dry-run flag', () => {
    const policy = compilePolicy('bank/p', 'v7', authorization('bank/p', { action: 'AUDIT', scope: 'NAMESPACE', dryRun: true }));
    expect(policy).toMatchObject({ key: 'bank/p', version: 'v7', namespace: 'bank', scope: securityV1.Scope.NAMESPACE, action: 'AUDIT', dryRun: true, error: undefined });
  });

  const bad: [string, securityV1.Authorization, string, string][] = [
    ['an empty name', { ...authorization('bank/p'), name: '' }, 'name', 'is empty'],
    ['an empty namespace', { ...authorization('bank/p'), namespace: '' }, 'namespace', 'is empty'],
    ['a name that is not the key', authorization('bank/q'), 'name', 'bank/q is not the resource name bank/p'],
    ['an unknown scope', { ...authorization('bank/p'), scope: 7 as securityV1.Scope }, 'scope', '7 is not a scope (GLOBAL, NAMESPACE, WORKLOAD_SELECTOR, WAYPOINT, SERVICE)'],
    ['a SERVICE scope without services', authorization('bank/p', { scope: 'SERVICE' }), 'services', 'is empty, so the SERVICE-scoped policy applies to nothing'],
    ['a waypoint key that does not end with the name', authorization('bank/q', { scope: 'WAYPOINT' }), 'name', 'bank/q is not the resource name bank/p'],
    ['a header condition without a name', authorization('bank/p', { groups: [rule([match({ headers: [{ key: [], values: [exact('a')], notValues: [] }] })])] }), 'groups[0].rules[0].matches[0].headers[0].key', 'must name a value (no empty part)'],
    ['a claim condition without values', authorization('bank/p', { groups: [rule([match({ claims: [{ key: ['groups'], values: [], notValues: [] }] })])] }), 'groups[0].rules[0].matches[0].claims[0].values', 'values or notValues is required'],
    ['a path match without a type', authorization('bank/p', { groups: [rule([match({ notPaths: [{}] })])] }), 'groups[0].rules[0].matches[0].notPaths[0]', 'has no match type (exact, prefix, suffix or presence)'],
    ['an unknown action', { ...authorization('bank/p'), action: 3 as securityV1.Action }, 'action', '3 is not an action (ALLOW, DENY, AUDIT)'],
    [
      'a CIDR of 5 bytes',
      authorization('bank/p', { groups: [rule([match({ sourceIps: [cidr('10.0.0.0/8'), { address: new Uint8Array(5), length: 8 }] })])] }),
      'groups[0].rules[0].matches[0].sourceIps[1].address',
      'must be 4 or 16 bytes, not 5',
    ],
    [
      'a prefix longer than the address',
      authorization('bank/p', { groups: [rule(), rule([match()], [match(), match({ notDestinationIps: [{ address: new Uint8Array(4), length: 40 }] })])] }),
      'groups[1].rules[1].matches[1].notDestinationIps[0].length',
      '40 is not a prefix length of an IPv4 address (0-32)',
    ],
    ['a port above 65535', authorization('bank/p', { groups: [rule([match({ notDestinationPorts: [80, 65536] })])] }), 'groups[0].rules[0].matches[0].notDestinationPorts[1]', '65536 is not a port (0-65535)'],
    ['a string match without a type', authorization('bank/p', { groups: [rule([match({ principals: [exact('a'), {}] })])] }), 'groups[0].rules[0].matches[0].principals[1]', 'has no match type (exact, prefix, suffix or presence)'],
  ];

  it.each(bad)('refuses %s, naming the policy and the field', (_what, resource, field, reason) => {
    let error: unknown;
    try {
      compilePolicy('bank/p', 'v1', resource);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidPolicyError);
    expect(error).toMatchObject({ code: 'AMBIT_ERR_AUTHZ_INVALID_POLICY', policy: 'bank/p', field, message: `authorization bank/p ${field}: ${reason}` });
  });
});

describe('failClosedPolicy', () => {
  const error = new InvalidPolicyError('bank/p', 'scope', 'bad');
  const ofAction = (action: number, dryRun = false) => failClosedPolicy('bank/p', 'v1', { ...authorization('bank/p', { dryRun }), action: action as securityV1.Action }, error);

  const facts = new ConnectionFacts();
  facts.load(connection({ from: 'bank/teller' }));

  it('turns a DENY, or an unknown action, into a policy that matches every connection', () => {
    for (const action of [securityV1.Action.DENY, 9]) {
      const policy = ofAction(action);
      expect(policy.action).toBe('DENY');
      expect(policy.firstMatch(facts)).toBe(0);
      expect(policy.decision(0)).toMatchObject({ allowed: false, reason: 'invalid-deny-policy', policy: 'bank/p', rule: undefined });
      expect(policy.error).toBe(error);
    }
  });

  it('turns an ALLOW or AUDIT, and any dry-run policy, into one with no rule', () => {
    for (const policy of [ofAction(securityV1.Action.ALLOW), ofAction(securityV1.Action.AUDIT), ofAction(securityV1.Action.DENY, true)]) {
      expect(policy.firstMatch(facts)).toBe(-1);
    }
  });

  it('applies a policy of unknown scope only where a workload names it', () => {
    const policy = failClosedPolicy('bank/p', 'v1', { ...authorization('bank/p'), scope: 5 as securityV1.Scope }, error);
    expect(policy.scope).toBe(securityV1.Scope.WORKLOAD_SELECTOR);
  });

  it('at a waypoint, applies a policy of unknown scope, or a SERVICE one without services, to every request', () => {
    for (const resource of [{ ...authorization('bank/p'), scope: 5 as securityV1.Scope }, authorization('bank/p', { scope: 'SERVICE', action: 'DENY' })]) {
      for (const key of ['waypoint/bank/waypoint/bank/p', 'waypoints/bank/p']) {
        const policy = failClosedPolicy(key, 'v1', resource, error);
        expect(policy).toMatchObject({ scope: securityV1.Scope.WAYPOINT, key, policy: 'bank/p' });
      }
    }
  });
});
