import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@ambit/config-model';
import { parseClusterSpec } from '../spec/parse-spec.js';
import { clusterResources, emitYaml } from './emit-yaml.js';

const spec = parseClusterSpec(readFileSync(new URL('../__fixtures__/two-nodes.yaml', import.meta.url), 'utf8'), 'two-nodes.yaml');

describe('the Kubernetes YAML of a cluster', () => {
  it('is valid config for the control plane, with no issue', () => {
    const result = parseConfig([{ name: 'cluster.yaml', text: emitYaml(spec) }]);
    expect(result.issues).toEqual([]);
    expect(result.resources.map((r) => `${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`)).toEqual([
      'Namespace//default',
      'Namespace//mesh',
      'Node//node-a',
      'Node//node-b',
      'ServiceAccount/default/default',
      'ServiceAccount/mesh/default',
      'ServiceAccount/mesh/sleep',
      'Service/mesh/echo',
      'Pod/mesh/client',
      'Pod/mesh/echo-a',
      'Pod/mesh/echo-b',
      'Pod/default/outsider',
    ]);
  });

  it('carries the addresses the namespaces were built with', () => {
    const resources = clusterResources(spec);
    expect(resources.find((r) => r.kind === 'Node')).toMatchObject({
      metadata: { name: 'node-a' },
      spec: { podCIDR: '10.244.1.0/24' },
      status: { addresses: [{ type: 'InternalIP', address: '10.77.0.11' }, { type: 'Hostname', address: 'node-a' }] },
    });
    expect(resources.find((r) => r.kind === 'Pod')).toMatchObject({
      metadata: { name: 'client', namespace: 'mesh', labels: { app: 'client' } },
      spec: { nodeName: 'node-a', serviceAccountName: 'sleep' },
      status: { podIP: '10.244.1.2', hostIP: '10.77.0.11', phase: 'Running' },
    });
    expect(resources.find((r) => r.kind === 'Namespace' && (r.metadata as { name: string }).name === 'mesh')).toMatchObject({
      metadata: { labels: { 'istio.io/dataplane-mode': 'ambient' } },
    });
    expect(resources.find((r) => r.kind === 'Service')).toMatchObject({ spec: { clusterIP: '10.96.0.1', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  });
});
