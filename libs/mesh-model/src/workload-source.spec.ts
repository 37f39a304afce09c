import type { PodResource, ServiceEntryResource, WorkloadEntryResource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { meshSettings } from './mesh-settings.js';
import { serviceEntryServices } from './service-source.js';
import { StatusReason } from './status-note.js';
import { podWorkload, serviceEntryWorkloads, workloadEntryWorkload } from './workload-source.js';

const settings = meshSettings();
const one = <T>(yaml: string): T => yamlResources(yaml)[0] as T;

const pod = (extra: string, status = 'status:\n  phase: Running\n  podIP: 10.0.0.1'): PodResource =>
  one(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n${extra}\nspec:\n  containers:\n  - name: c\n    image: i\n    ports:\n    - {name: web, containerPort: 8080}\n    - {name: dns, containerPort: 53, protocol: UDP}\n  initContainers:\n  - name: init\n    image: i\n    ports:\n    - {name: setup, containerPort: 9999}\n${status}`);

describe('podWorkload', () => {
  it('normalises a running pod', () => {
    const [w] = podWorkload(pod('  labels: {app: a, version: v1}'), settings).workloads;
    expect(w).toMatchObject({
      uid: 'Kubernetes//Pod/ns/p',
      kind: 'Pod',
      addresses: ['10.0.0.1'],
      serviceAccount: 'default',
      healthy: false,
      canonicalName: 'a',
      canonicalRevision: 'v1',
      workloadName: 'p',
      selectable: true,
      enrolment: { kind: 'pod', mode: undefined, sidecar: false },
    });
    // Only TCP ports of app containers can be named targetPorts.
    expect(w?.namedPorts).toEqual({ kind: 'container', ports: new Map([['web', 8080]]) });
  });

  it.each([
    ['finished', 'status:\n  phase: Succeeded\n  podIP: 10.0.0.1', /finished/],
    ['without IP', 'status:\n  phase: Pending', /no IP/],
  ])('gives no workload for a pod %s', (_what, status, message) => {
    const build = podWorkload(pod('', status), settings);
    expect(build.workloads).toEqual([]);
    expect(build.notes).toEqual([{ code: 'AMB0405', severity: 'info', reason: StatusReason.NoWorkload, message: expect.stringMatching(message) as string }]);
  });

  it('prefers podIPs, reads readiness, and knows a waypoint pod uses no waypoint', () => {
    const [w] = podWorkload(
      pod(
        '  labels: {gateway.networking.k8s.io/gateway-name: wp, networking.istio.io/tunnel: "http"}',
        'status:\n  phase: Running\n  podIP: 10.0.0.1\n  podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]\n  conditions: [{type: Ready, status: "True"}]',
      ),
      settings,
    ).workloads;
    expect(w).toMatchObject({ addresses: ['10.0.0.1', 'fd00::1'], healthy: true, waypointLabels: undefined, nativeHbone: true });
  });
});

describe('workloadEntryWorkload', () => {
  const we = (spec: string, meta = ''): WorkloadEntryResource =>
    one(`apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: vm\n  namespace: ns\n${meta}\nspec:\n${spec}`);

  it('merges labels, metadata winning, and reads the address kind', () => {
    const [ip] = workloadEntryWorkload(we('  address: 1.2.3.4\n  labels: {app: spec, tier: db}', '  labels: {app: meta}'), settings).workloads;
    expect(ip).toMatchObject({ uid: 'Kubernetes/networking.istio.io/WorkloadEntry/ns/vm', labels: { app: 'meta', tier: 'db' }, addresses: ['1.2.3.4'], hostname: '', healthy: true });
    const [dns] = workloadEntryWorkload(we('  address: vm.example.com\n  serviceAccount: vm-sa\n  locality: r/z'), settings).workloads;
    expect(dns).toMatchObject({ addresses: [], hostname: 'vm.example.com', serviceAccount: 'vm-sa', locality: { region: 'r', zone: 'z', subzone: '' } });
  });

  it('reports a unix socket address, which ztunnel cannot reach', () => {
    const build = workloadEntryWorkload(we('  address: unix:///var/run/app.sock'), settings);
    expect(build.workloads[0]).toMatchObject({ addresses: [], hostname: '' });
    expect(build.notes[0]?.reason).toBe(StatusReason.Unsupported);
  });
});

describe('serviceEntryWorkloads', () => {
  const se = (spec: string): ServiceEntryResource =>
    one(`apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\n  namespace: ns\n  labels: {app: ext}\nspec:\n${spec}`);
  const build = (resource: ServiceEntryResource) => serviceEntryWorkloads(resource, serviceEntryServices(resource).services, settings);

  it('makes one workload per endpoint address, the first of a repeated address winning', () => {
    const result = build(se('  hosts: [a.example.com]\n  ports: [{number: 80, name: http}]\n  resolution: STATIC\n  endpoints:\n  - {address: 1.1.1.1, labels: {v: "1"}}\n  - {address: 1.1.1.2}\n  - {address: 1.1.1.1}'));
    expect(result.workloads.map((w) => w.uid)).toEqual(['Kubernetes/networking.istio.io/ServiceEntry/ns/se/1.1.1.1', 'Kubernetes/networking.istio.io/ServiceEntry/ns/se/1.1.1.2']);
    expect(result.workloads[0]).toMatchObject({ labels: { app: 'ext' }, waypointLabels: { v: '1' }, selectable: false, workloadName: 'se', canonicalName: 'ext' });
    expect(result.notes).toEqual([
      { code: 'AMB0302', severity: 'warning', reason: StatusReason.Conflict, path: 'spec.endpoints[2].address', message: expect.stringMatching(/endpoints\[2\] repeats address "1.1.1.1"/) as string },
    ]);
  });

  it('makes one implicit endpoint per host for DNS resolution without endpoints', () => {
    const result = build(se('  hosts: [a.example.com, b.example.com]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: DNS'));
    expect(result.workloads.map((w) => [w.hostname, w.ownServices?.map((s) => s.key), w.waypointLabels])).toEqual([
      ['a.example.com', ['ns/a.example.com'], undefined],
      ['b.example.com', ['ns/b.example.com'], undefined],
    ]);
  });

  it('makes none for a selector or NONE resolution', () => {
    expect(build(se('  hosts: [a.example.com]\n  ports: [{number: 80, name: http}]\n  resolution: STATIC\n  workloadSelector: {labels: {app: a}}')).workloads).toEqual([]);
    expect(build(se('  hosts: [a.example.com]\n  ports: [{number: 80, name: http}]')).workloads).toEqual([]);
  });
});
