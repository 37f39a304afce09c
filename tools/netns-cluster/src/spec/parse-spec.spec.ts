import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thrown } from '@ambit/test-support';
import { ClusterSpecError } from '../errors.js';
import { formatCidr } from './ipv4.js';
import { parseClusterSpec } from './parse-spec.js';

const FIXTURE = readFileSync(new URL('../__fixtures__/two-nodes.yaml', import.meta.url), 'utf8');

const MINIMAL = `name: t
network: 10.77.0.0/24
nodes:
  - { name: a, ip: 10.77.0.11, podCIDR: 10.244.1.0/24 }
  - { name: b, ip: 10.77.0.12, podCIDR: 10.244.2.0/24 }
`;

function specError(text: string): ClusterSpecError {
  return thrown(ClusterSpecError, () => parseClusterSpec(text, 'cluster.yaml'));
}

describe('the cluster description', () => {
  it('reads nodes, pods and services, applying defaults and assigning addresses', () => {
    const spec = parseClusterSpec(FIXTURE, 'two-nodes.yaml');
    expect(spec.name).toBe('demo');
    expect(spec.nodes.map((n) => [n.name, n.ip, formatCidr(n.podCIDR), n.gateway])).toEqual([
      ['node-a', '10.77.0.11', '10.244.1.0/24', '10.244.1.1'],
      ['node-b', '10.77.0.12', '10.244.2.0/24', '10.244.2.1'],
    ]);
    expect(spec.pods.map((p) => [`${p.namespace}/${p.name}`, p.ip, p.serviceAccount])).toEqual([
      ['mesh/client', '10.244.1.2', 'sleep'],
      ['mesh/echo-a', '10.244.1.20', 'default'],
      ['mesh/echo-b', '10.244.2.2', 'default'],
      ['default/outsider', '10.244.2.3', 'default'],
    ]);
    expect(spec.namespaces).toEqual([
      { name: 'default', labels: {} },
      { name: 'mesh', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    ]);
    expect(spec.services).toEqual([
      { name: 'echo', namespace: 'mesh', clusterIP: '10.96.0.1', selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    ]);
  });

  it('skips addresses that pods were given when assigning the others', () => {
    const spec = parseClusterSpec(`${MINIMAL}pods:\n  - { name: x, node: a }\n  - { name: y, node: a, ip: 10.244.1.2 }\n`, 'c.yaml');
    expect(spec.pods.map((p) => p.ip)).toEqual(['10.244.1.3', '10.244.1.2']);
  });

  it.each([
    ['name', 'name: Demo!\nnetwork: 10.77.0.0/24\nnodes: []', /1-10 lowercase letters or digits/],
    ['network', 'name: t\nnetwork: 10.77.0.5/24\nnodes: []', /host bits set/],
    ['nodes', 'name: t\nnetwork: 10.77.0.0/24\nnodes: []', /must not be empty/],
    ['nodes', 'name: t\nnetwork: 10.77.0.0/24', /is required/],
    ['podz', `${MINIMAL}podz: []`, /is not a field here/],
    ['nodes[1].ip', MINIMAL.replace('10.77.0.12', '10.78.0.12'), /not a host address of network 10\.77\.0\.0\/24/],
    ['nodes[1].ip', MINIMAL.replace('10.77.0.12', '10.77.0.11'), /also the ip of nodes\[0\]/],
    ['nodes[1].name', MINIMAL.replace('name: b', 'name: a'), /duplicate node name "a"/],
    ['nodes[1].podCIDR', MINIMAL.replace('10.244.2.0/24', '10.244.0.0/16'), /overlaps nodes\[0\]\.podCIDR 10\.244\.1\.0\/24/],
    ['nodes[1].podCIDR', MINIMAL.replace('10.244.2.0/24', '10.77.0.0/25'), /overlaps network/],
    ['nodes[0].podCIDR', `${MINIMAL}serviceCIDR: 10.244.0.0/16`, /overlaps serviceCIDR/],
    ['pods[0].node', `${MINIMAL}pods:\n  - { name: x, node: c }`, /no node named "c"/],
    ['pods[0].ip', `${MINIMAL}pods:\n  - { name: x, node: a, ip: 10.244.2.5 }`, /not a pod address of node a's podCIDR/],
    ['pods[0].ip', `${MINIMAL}pods:\n  - { name: x, node: a, ip: 10.244.1.1 }`, /10\.244\.1\.1 is its gateway/],
    ['pods[1].name', `${MINIMAL}pods:\n  - { name: x, node: a }\n  - { name: x, node: b }`, /duplicate pod default\/x \(also pods\[0\]\)/],
    ['pods[1].ip', `${MINIMAL}pods:\n  - { name: x, node: a, ip: 10.244.1.9 }\n  - { name: y, node: a, ip: 10.244.1.9 }`, /also the ip of pods\[0\]/],
    ['pods[0].ports[0]', `${MINIMAL}pods:\n  - { name: x, node: a, ports: [0] }`, /must be a port number/],
    ['pods[0].labels.app', `${MINIMAL}pods:\n  - { name: x, node: a, labels: { app: 1 } }`, /must be a string/],
    ['services[0].ports', `${MINIMAL}services:\n  - { name: s, ports: [] }`, /must not be empty/],
    ['services[1].name', `${MINIMAL}services:\n  - { name: s, ports: [{ port: 80 }] }\n  - { name: s, ports: [{ port: 81 }] }`, /duplicate service default\/s/],
    ['namespaces[1].name', `${MINIMAL}namespaces:\n  - { name: m }\n  - { name: m }`, /duplicate namespace "m"/],
  ])('names %s when refusing it', (field, text, message) => {
    const error = specError(text);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.code).toBe('AMBIT_ERR_NETNS_CLUSTER_SPEC');
  });

  it('points at the file, line and column of the bad field', () => {
    const error = specError(MINIMAL.replace('10.244.2.0/24', '10.244.1.128/25'));
    expect(error.message).toMatch(/^cluster\.yaml:5:41 nodes\[1\]\.podCIDR: 10\.244\.1\.128\/25 overlaps/);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(specError('name: t\nnodes: [\n').message).toMatch(/^cluster\.yaml:\d+:\d+: /);
    expect(specError('name: t\nname: u\n').message).toMatch(/^cluster\.yaml:2:1: .*unique/i);
  });
});
