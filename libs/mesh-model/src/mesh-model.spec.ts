import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { MeshModel } from './mesh-model.js';
import { idOf } from './resource-id.js';

const ns = (name: string, labels = '{}') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${labels}\n---\n`;
const pod = (name: string, namespace: string, labels = '{}', extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: ${labels}\n${extra}spec:\n  nodeName: n1\n  containers:\n  - name: c\n    image: i\n    ports: [{name: web, containerPort: 8080}]\nstatus:\n  phase: Running\n  podIP: 10.0.0.1\n---\n`;
const waypoint = (name: string, namespace: string, labels = '{}', from = 'Same') =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: ${labels}\nspec:\n  gatewayClassName: istio-waypoint\n  listeners:\n  - {name: mesh, port: 15008, protocol: HBONE, allowedRoutes: {namespaces: {from: ${from}}}}\n---\n`;

function model(yaml: string): MeshModel {
  const m = new MeshModel();
  m.apply({ upserted: yamlResources(yaml) });
  return m;
}

describe('MeshModel workloads', () => {
  it.each([
    ['an ambient namespace', true, ns('a', '{istio.io/dataplane-mode: ambient}') + pod('p', 'a')],
    ['a namespace without the label', false, ns('a') + pod('p', 'a')],
    ['a pod opting in', true, ns('a') + pod('p', 'a', '{istio.io/dataplane-mode: ambient}')],
    ['a pod opting out', false, ns('a', '{istio.io/dataplane-mode: ambient}') + pod('p', 'a', '{istio.io/dataplane-mode: none}')],
    ['a pod with a sidecar', false, ns('a', '{istio.io/dataplane-mode: ambient}') + pod('p', 'a', '{}', '  annotations: {sidecar.istio.io/status: "{}"}\n')],
    ['a pod istio-cni marked as redirected', true, ns('a') + pod('p', 'a', '{}', '  annotations: {ambient.istio.io/redirection: enabled}\n')],
  ])('%s: HBONE %s', (_what, hbone, yaml) => {
    expect(model(yaml).workload('Kubernetes//Pod/a/p')?.hbone).toBe(hbone);
  });

  it('binds the services whose selector picks the workload, resolving named ports', () => {
    const m = model(
      ns('a') +
        pod('p', 'a', '{app: x}') +
        'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  selector: {app: x}\n  ports: [{name: http, port: 80, targetPort: web}, {name: grpc, port: 90, targetPort: grpc}]\n---\n' +
        'apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: a}\nspec:\n  selector: {app: w}\n  ports: [{name: http, port: 80}]\n',
    );
    expect(m.workload('Kubernetes//Pod/a/p')?.services.map((b) => [b.service.key, b.ports])).toEqual([['a/s.a.svc.cluster.local', [{ servicePort: 80, targetPort: 8080 }]]]);
  });

  it('lets the most specific use-waypoint win, and none opt out', () => {
    const m = model(
      ns('a', '{istio.io/use-waypoint: ns-wp}') +
        waypoint('ns-wp', 'a', '{istio.io/waypoint-for: all}') +
        waypoint('own', 'a', '{istio.io/waypoint-for: workload}') +
        pod('inherits', 'a') +
        pod('own', 'a', '{istio.io/use-waypoint: own}') +
        pod('none', 'a', '{istio.io/use-waypoint: none}') +
        pod('missing', 'a', '{istio.io/use-waypoint: gone}'),
    );
    const bound = (uid: string) => {
      const b = m.workload(`Kubernetes//Pod/a/${uid}`)?.waypoint;
      return b?.kind === 'bound' ? b.waypoint.key : b?.kind;
    };
    expect([bound('inherits'), bound('own'), bound('none'), bound('missing')]).toEqual(['a/ns-wp', 'a/own', 'none', 'error']);
  });

  it('binds a waypoint only for its kind of traffic and its allowed namespaces', () => {
    const m = model(
      ns('a', '{istio.io/use-waypoint: wp, istio.io/use-waypoint-namespace: infra}') +
        ns('infra') +
        waypoint('wp', 'infra', '{}', 'All') +
        pod('p', 'a') +
        'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  ports: [{name: http, port: 80}]\n---\n' +
        'apiVersion: v1\nkind: Service\nmetadata: {name: closed, namespace: a, labels: {istio.io/use-waypoint: closed, istio.io/use-waypoint-namespace: infra}}\nspec:\n  ports: [{name: http, port: 80}]\n---\n' +
        waypoint('closed', 'infra'),
    );
    expect(m.service('a/s.a.svc.cluster.local')?.waypoint).toMatchObject({ kind: 'bound', waypoint: { key: 'infra/wp' } });
    expect(m.workload('Kubernetes//Pod/a/p')?.waypoint).toMatchObject({ kind: 'error', reason: 'WaypointUnsupportedTrafficType', fromNamespace: true });
    expect(m.service('a/closed.a.svc.cluster.local')?.waypoint).toMatchObject({ kind: 'error', reason: 'WaypointAttachmentDenied', fromNamespace: false });
  });

  it('lists selector policies of the namespace and of the root namespace, sorted', () => {
    const ap = (name: string, namespace: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n---\n`;
    const m = model(
      ns('a') +
        pod('p', 'a', '{app: x}') +
        ap('z-local', 'a', '{selector: {matchLabels: {app: x}}}') +
        ap('mesh', 'istio-system', '{selector: {matchLabels: {app: x}}}') +
        ap('ns-wide', 'a', '{}') +
        ap('other-ns', 'b', '{selector: {matchLabels: {app: x}}}') +
        ap('waypoint', 'a', '{targetRefs: [{kind: Service, group: "", name: s}]}') +
        ap('custom', 'a', '{selector: {matchLabels: {app: x}}, action: CUSTOM, provider: {name: p}, rules: [{}]}') +
        ap('all-in-ns', 'a', '{selector: {}}'),
    );
    expect(m.workload('Kubernetes//Pod/a/p')?.authorizationPolicies).toEqual(['a/all-in-ns', 'a/z-local', 'istio-system/mesh']);
  });

  it('takes locality from the pod node', () => {
    const m = model(ns('a') + pod('p', 'a') + 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {topology.kubernetes.io/region: r, topology.kubernetes.io/zone: z}\n');
    expect(m.workload('Kubernetes//Pod/a/p')?.locality).toEqual({ region: 'r', zone: 'z', subzone: '' });
  });
});

describe('MeshModel.apply', () => {
  it('names what a change can affect', () => {
    const m = new MeshModel();
    const base = yamlResources(
      ns('a') +
        pod('p1', 'a', '{app: x}') +
        pod('p2', 'a', '{app: w}') +
        'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  selector: {app: x}\n  ports: [{name: http, port: 80}]\n',
    );
    m.apply({ upserted: base });
    const [service] = yamlResources('apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  selector: {app: w}\n  ports: [{name: http, port: 80}]\n');
    const delta = m.apply({ upserted: [service!] });
    // Selected before (p1) and after (p2).
    expect([...delta.workloads].sort()).toEqual(['Kubernetes//Pod/a/p1', 'Kubernetes//Pod/a/p2']);
    expect([...delta.services]).toEqual(['a/s.a.svc.cluster.local']);

    const [namespace] = yamlResources(ns('a', '{istio.io/dataplane-mode: ambient}'));
    const nsDelta = m.apply({ upserted: [namespace!] });
    expect(nsDelta.workloads.size).toBe(2);
    expect(nsDelta.services.size).toBe(1);

    const removal = m.apply({ removed: [idOf(base[1]!)] });
    expect([...removal.workloads]).toEqual(['Kubernetes//Pod/a/p1']);
    expect(m.workload('Kubernetes//Pod/a/p1')).toBeUndefined();
  });

  it('gives a hostname to the Service before ServiceEntries, whatever the order', () => {
    const yaml =
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se, namespace: a}\nspec:\n  hosts: [s.a.svc.cluster.local]\n  ports: [{number: 80, name: http}]\n---\n' +
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  ports: [{name: http, port: 80}]\n';
    const m = model(yaml);
    expect(m.service('a/s.a.svc.cluster.local')?.source.kind).toBe('Service');
    expect(m.view.serviceClaimants('a/s.a.svc.cluster.local').map((s) => s.kind)).toEqual(['Service', 'ServiceEntry']);
  });
});
