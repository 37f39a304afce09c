import { describe, expect, it } from 'vitest';
import { SpiffeId } from '@ambit/crypto';
import { SILENT_LOGGER } from '@ambit/telemetry';
import { securityV1 } from '@ambit/xds';
import { policy, workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import { InboundAuthorizer } from './authorizer.js';

const CLIENT = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/client');
const OTHER = SpiffeId.parse('spiffe://cluster.local/ns/demo/sa/other');

const allowClient = policy('demo', 'allow-client', {
  scope: securityV1.Scope.WORKLOAD_SELECTOR,
  action: securityV1.Action.ALLOW,
  groups: [{ rules: [{ matches: [{ principals: [{ matchType: 'exact', exact: 'cluster.local/ns/demo/sa/client' }] }] }] }],
});
const staticStrict = policy('istio-system', 'istio_converted_static_strict', {
  scope: securityV1.Scope.WORKLOAD_SELECTOR,
  action: securityV1.Action.DENY,
  groups: [{ rules: [{ matches: [{ notPrincipals: [{ matchType: 'presence', presence: true }] }] }] }],
});

function setUp(policies: string[]) {
  const state = new ProxyState();
  state.applyAddresses({ upserted: [workload('web', { ip: '10.0.0.2', namespace: 'demo', overrides: { authorizationPolicies: policies } })], removed: [] });
  state.applyAuthorizations({ upserted: [allowClient, staticStrict], removed: [] });
  const authorizer = new InboundAuthorizer(state.view, SILENT_LOGGER);
  const decide = (identity: SpiffeId | undefined) => {
    const destination = state.view.workloads.byUid('Kubernetes//Pod/demo/web')!;
    return authorizer.decide({ identity, sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', destinationPort: 8080, destination });
  };
  return { state, authorizer, decide };
}

describe('InboundAuthorizer', () => {
  it('decides with the state’s policies: ALLOW admits the named principal only, STRICT refuses no identity', () => {
    const { decide, authorizer } = setUp(['demo/allow-client', 'istio-system/istio_converted_static_strict']);
    expect(decide(CLIENT)).toMatchObject({ allowed: true, reason: 'allow-policy-matched', policy: 'demo/allow-client' });
    expect(decide(OTHER)).toMatchObject({ allowed: false, reason: 'no-allow-policy-matched' });
    expect(decide(undefined)).toMatchObject({ allowed: false, reason: 'deny-policy-matched', policy: 'istio-system/istio_converted_static_strict' });
    authorizer.close();
  });

  it('follows policy updates and removals for new decisions', () => {
    const { state, decide, authorizer } = setUp(['demo/allow-client']);
    expect(decide(OTHER).allowed).toBe(false);
    state.applyAuthorizations({ upserted: [policy('demo', 'allow-client', { scope: securityV1.Scope.WORKLOAD_SELECTOR, action: securityV1.Action.ALLOW, groups: [{ rules: [] }] })], removed: [] });
    // An ALLOW rule without clauses matches everyone.
    expect(decide(OTHER).allowed).toBe(true);
    state.applyAuthorizations({ upserted: [], removed: ['demo/allow-client'] });
    // The workload still names the policy: a missing policy fails closed.
    expect(decide(CLIENT)).toMatchObject({ allowed: false, reason: 'policy-missing' });
    authorizer.close();
  });

  it('allows everything when no policy applies (PERMISSIVE, no AuthorizationPolicy)', () => {
    const { decide, authorizer } = setUp([]);
    expect(decide(undefined)).toMatchObject({ allowed: true, reason: 'no-allow-policies' });
    authorizer.close();
  });
});
