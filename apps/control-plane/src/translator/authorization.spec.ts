import type { AuthorizationPolicyResource } from '@ambit/config-model';
import { securityV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { authorizationPolicyEntry } from '@ambit/mesh-model';
import { match } from './authorization-rules.js';
import { authorizationOf } from './authorization.js';

function convert(spec: string, namespace = 'app', annotations = '{}'): securityV1.Authorization | undefined {
  const [ap] = yamlResources(`apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: ${namespace}, annotations: ${annotations}}\nspec: ${spec}\n`);
  return authorizationOf(authorizationPolicyEntry(ap as AuthorizationPolicyResource), 'istio-system');
}

const presence = { matchType: 'presence', presence: true } as const;

describe('authorizationOf', () => {
  it('sets the scope from selector and namespace', () => {
    expect(convert('{}', 'istio-system')?.scope).toBe(securityV1.Scope.GLOBAL);
    expect(convert('{}')?.scope).toBe(securityV1.Scope.NAMESPACE);
    expect(convert('{selector: {matchLabels: {a: b}}}', 'istio-system')?.scope).toBe(securityV1.Scope.WORKLOAD_SELECTOR);
  });

  it('sends ztunnel nothing for waypoint or CUSTOM policies', () => {
    expect(convert('{targetRef: {kind: Service, group: "", name: s}}')).toBeUndefined();
    expect(convert('{action: CUSTOM, provider: {name: x}, rules: [{}]}')).toBeUndefined();
  });

  it('makes one group per rule: to, then from, then each when, AND-ed', () => {
    const policy = convert('{action: DENY, rules: [{from: [{source: {namespaces: [a]}}, {source: {principals: [p]}}], to: [{operation: {ports: ["80"]}}], when: [{key: destination.port, values: ["81"]}]}]}');
    expect(policy?.groups).toEqual([
      {
        rules: [
          { matches: [match({ destinationPorts: [80] })] },
          { matches: [match({ namespaces: [{ matchType: 'exact', exact: 'a' }] }), match({ principals: [{ matchType: 'exact', exact: 'p' }] })] },
          { matches: [match({ destinationPorts: [81] })] },
        ],
      },
    ]);
  });

  it('turns service accounts into principal suffixes, in the policy namespace by default', () => {
    const policy = convert('{rules: [{from: [{source: {serviceAccounts: [sa, other/sb], notServiceAccounts: [sc]}}]}]}');
    expect(policy?.groups[0]?.rules[0]?.matches[0]).toEqual(
      match({
        principals: [
          { matchType: 'suffix', suffix: '/ns/app/sa/sa' },
          { matchType: 'suffix', suffix: '/ns/other/sa/sb' },
        ],
        notPrincipals: [{ matchType: 'suffix', suffix: '/ns/app/sa/sc' }],
      }),
    );
  });

  it('drops an ALLOW (or AUDIT) rule that needs HTTP attributes, keeping the others', () => {
    const rules = '[{to: [{operation: {methods: [GET]}}]}, {from: [{source: {namespaces: [a]}}]}]';
    for (const action of ['ALLOW', 'AUDIT']) {
      expect(convert(`{action: ${action}, rules: ${rules}}`)?.groups).toEqual([{ rules: [{ matches: [match({ namespaces: [{ matchType: 'exact', exact: 'a' }] })] }] }]);
    }
    expect(convert('{rules: [{when: [{key: request.auth.principal, values: [x]}]}]}')?.groups).toEqual([]);
  });

  it('keeps a DENY rule without its HTTP attributes, so that it matches more', () => {
    expect(convert('{action: DENY, rules: [{to: [{operation: {methods: [GET], ports: ["80"]}}]}]}')?.groups).toEqual([{ rules: [{ matches: [match({ destinationPorts: [80] })] }] }]);
    expect(convert('{action: DENY, rules: [{from: [{source: {requestPrincipals: ["*"]}}]}]}')?.groups).toEqual([{ rules: [{ matches: [match({})] }] }]);
  });

  it('reads when conditions on every L4 key, values and notValues', () => {
    const policy = convert(
      '{action: DENY, rules: [{when: [{key: source.ip, values: [10.0.0.0/8]}, {key: source.namespace, notValues: [a]}, {key: source.principal, values: ["*"]}, {key: destination.ip, notValues: ["::1"]}]}]}',
    );
    expect(policy?.groups[0]?.rules.map((r) => r.matches[0])).toEqual([
      match({ sourceIps: [{ address: Uint8Array.from([10, 0, 0, 0]), length: 8 }] }),
      match({ notNamespaces: [{ matchType: 'exact', exact: 'a' }] }),
      match({ principals: [presence] }),
      match({ notDestinationIps: [{ address: Uint8Array.from([...new Array<number>(15).fill(0), 1]), length: 128 }] }),
    ]);
  });

  it('carries istio.io/dry-run', () => {
    expect(convert('{action: DENY, rules: [{}]}', 'app', '{istio.io/dry-run: "true"}')?.dryRun).toBe(true);
    expect(convert('{action: DENY, rules: [{}]}')?.dryRun).toBe(false);
  });
});
