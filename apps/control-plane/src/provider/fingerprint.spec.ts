import { parseConfig, type Resource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { contentFingerprint } from './fingerprint.js';

function one(text: string, file = 'a.yaml'): Resource {
  const { resources, issues } = parseConfig([{ name: file, text }]);
  expect(issues).toEqual([]);
  return resources[0]!;
}

const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow, namespace: shop}
spec:
  action: ALLOW
  rules:
  - from:
    - source: {principals: ["cluster.local/ns/shop/sa/web"]}
`;

describe('contentFingerprint', () => {
  it('ignores where the resource was written, and the order of its keys', () => {
    const moved = one(`# a comment that shifts every line\n${POLICY}`, 'b.yaml');
    const reordered = one(`kind: AuthorizationPolicy
spec: {rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/web"]}}]}], action: ALLOW}
metadata: {namespace: shop, name: allow}
apiVersion: security.istio.io/v1
`);
    expect(moved.source).not.toEqual(one(POLICY).source);
    expect(contentFingerprint(moved)).toBe(contentFingerprint(one(POLICY)));
    expect(contentFingerprint(reordered)).toBe(contentFingerprint(one(POLICY)));
  });

  it('sees a change anywhere in the content, including a field named source inside the spec', () => {
    const base = contentFingerprint(one(POLICY));
    expect(contentFingerprint(one(POLICY.replace('sa/web', 'sa/api')))).not.toBe(base);
    expect(contentFingerprint(one(POLICY.replace('ALLOW', 'DENY')))).not.toBe(base);
    expect(contentFingerprint(one(POLICY.replace('{name: allow,', '{name: allow, labels: {a: b},')))).not.toBe(base);
  });
});
