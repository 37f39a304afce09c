import { describe, expect, it } from 'vitest';
import { IssueCode } from '../issues.js';
import { validateResource } from './validate-resource.js';

const SOURCE = 'https://api/apis/security.istio.io/v1/namespaces/demo/peerauthentications/strict';

describe('validateResource', () => {
  it('turns a parsed object into the resource parseConfig would give, with the source named', () => {
    const { resource, issues } = validateResource(
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict', namespace: 'demo', resourceVersion: '7' }, spec: { mtls: { mode: 'STRICT' } } },
      { source: SOURCE },
    );
    expect(issues).toEqual([]);
    expect(resource).toMatchObject({
      group: 'security.istio.io',
      kind: 'PeerAuthentication',
      metadata: { name: 'strict', namespace: 'demo', labels: {}, annotations: {}, generation: 0 },
      spec: { mtls: { mode: 'STRICT' } },
      source: { file: SOURCE, line: 0, col: 0 },
    });
  });

  it('reports an invalid object by field path, at the source, and gives no resource', () => {
    const { resource, issues } = validateResource(
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict', namespace: 'demo' }, spec: { mtls: { mode: 'SOMETIMES' } } },
      { source: SOURCE },
    );
    expect(resource).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', code: IssueCode.Value, path: 'spec.mtls.mode', position: { file: SOURCE, line: 0 } });
  });

  it('gives a namespaced object without a namespace the default one, and refuses what is not a resource', () => {
    const named = validateResource({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } }, { source: 'x', defaultNamespace: 'demo' });
    expect(named.resource?.metadata.namespace).toBe('demo');
    expect(validateResource(['a list'], { source: 'x' }).issues[0]?.code).toBe(IssueCode.NotAResource);
    expect(validateResource({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }, { source: 'x' }).issues[0]?.code).toBe(IssueCode.UnknownKind);
  });
});
