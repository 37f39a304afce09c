import type { Resource, ServiceResource } from '@ambit/config-model';
import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { assignLocalAddresses, LOCAL_ADDRESS_RANGES } from './local-addresses.js';
import { MeshModel } from './mesh-model.js';

const node = (name: string, ip?: string) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n${ip === undefined ? '' : `status:\n  addresses: [{type: InternalIP, address: ${ip}}]\n`}---\n`;
const pod = (name: string, nodeName: string, ip: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: demo, labels: {app: ${name}}}\nspec:\n  nodeName: ${nodeName}\n  containers: [{name: c, image: i}]\nstatus: {phase: Running, podIP: ${ip}}\n---\n`;
const service = (name: string, clusterIP?: string, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: demo}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n${clusterIP === undefined ? '' : `  clusterIP: ${clusterIP}\n`}${extra}---\n`;

const services = (resources: readonly Resource[]): ServiceResource[] => resources.filter((r): r is ServiceResource => r.kind === 'Service');
const inRange = (ip: string, prefix: string) => ip.startsWith(prefix) && !ip.endsWith('.0') && !ip.endsWith('.255');

describe('assignLocalAddresses', () => {
  it('gives a Service without a cluster IP a VIP in 127.96.0.0/12, as the API server would set it', () => {
    const input = yamlResources(service('web') + service('fixed', '127.0.50.1') + service('headless', 'None'));
    const { resources, vips } = assignLocalAddresses(input);
    const [web, fixed, headless] = services(resources);
    const vip = vips.get('demo/web')!;
    expect(vip).toMatch(/^127\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(web!.spec).toMatchObject({ clusterIP: vip, clusterIPs: [vip] });
    expect([...vips.keys()]).toEqual(['demo/web']);
    // Untouched resources are the same objects, so a provider sees no change in them.
    expect(fixed).toBe(input[1]);
    expect(headless).toBe(input[2]);
    expect(web!.source).toEqual(input[0]!.source);
  });

  it('derives each address from the name alone: the same across runs, input order and unrelated additions', () => {
    const a = assignLocalAddresses(yamlResources(service('web') + service('api') + pod('p', 'n1', '127.0.10.1')));
    const b = assignLocalAddresses(yamlResources(service('db') + pod('q', 'n2', '127.0.20.1') + service('api') + service('web')));
    expect(b.vips.get('demo/web')).toBe(a.vips.get('demo/web'));
    expect(b.vips.get('demo/api')).toBe(a.vips.get('demo/api'));
    expect(b.nodes.find((n) => n.name === 'n1')).toBeUndefined();
  });

  it('never hands out an address a pod, node, Service, WorkloadEntry or ServiceEntry uses, nor one twice', () => {
    const probe = assignLocalAddresses(yamlResources(service('web')));
    const taken = probe.vips.get('demo/web')!;
    const yaml =
      pod('p', 'n1', taken) +
      service('web') +
      Array.from({ length: 50 }, (_, i) => service(`s${i}`)).join('') +
      'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm, namespace: demo}\nspec: {address: 127.0.30.1}\n';
    const { vips, nodes } = assignLocalAddresses(yamlResources(yaml));
    expect(vips.get('demo/web')).not.toBe(taken);
    const all = [...vips.values(), ...nodes.map((n) => n.address)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain('127.0.30.1');
    expect(all.every((ip) => inRange(ip, '127.'))).toBe(true);
  });

  it('keeps declared node addresses and assigns one to nodes only pods name, or that declare no InternalIP', () => {
    const { nodes } = assignLocalAddresses(yamlResources(node('node-a', '127.0.1.1') + node('bare') + pod('p', 'node-a', '127.0.10.1') + pod('q', 'node-c', '127.0.10.2')));
    expect(nodes.map(({ name, assigned, declared }) => ({ name, assigned, declared }))).toEqual([
      { name: 'bare', assigned: true, declared: true },
      { name: 'node-a', assigned: false, declared: true },
      { name: 'node-c', assigned: true, declared: false },
    ]);
    expect(nodes[1]!.address).toBe('127.0.1.1');
    for (const n of [nodes[0]!, nodes[2]!]) expect(inRange(n.address, '127.254.')).toBe(true);
  });

  it('leaves ExternalName Services alone, and the rest unassigned once a range is full', () => {
    const external = service('ext', undefined, '  type: ExternalName\n  externalName: example.com\n').replace('  ports: [{port: 80}]\n', '');
    const { vips } = assignLocalAddresses(yamlResources(external + service('a') + service('b') + service('c')), { ...LOCAL_ADDRESS_RANGES, services: '127.96.0.0/30' });
    // A /30 holds four addresses, of which .0 is never used: three VIPs at most.
    expect([...vips.keys()]).toEqual(['demo/a', 'demo/b', 'demo/c']);
    const full = assignLocalAddresses(yamlResources(service('a') + service('b') + service('c') + service('d')), { ...LOCAL_ADDRESS_RANGES, services: '127.96.0.0/30' });
    expect(full.vips.size).toBe(3);
    expect(() => assignLocalAddresses([], { ...LOCAL_ADDRESS_RANGES, nodes: '10.0.0.0' })).toThrow(/not an IPv4 CIDR/);
  });

  it('gives the model the VIP: the service is reachable by it', () => {
    const { resources, vips } = assignLocalAddresses(yamlResources(service('web') + pod('web', 'n1', '127.0.10.1')));
    const model = new MeshModel();
    model.apply({ upserted: resources });
    expect(model.service('demo/web.demo.svc.cluster.local')?.source.vips).toEqual([vips.get('demo/web')]);
  });
});
