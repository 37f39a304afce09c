import type { PodResource, Resource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { ConflictingChangeError, idOf } from '@ambit/mesh-model';
import { yamlResources } from '@ambit/config-model/testing';
import { translate, Translator } from './translator.js';

const MESH = yamlResources(`
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio.io/dataplane-mode: ambient
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  clusterIP: 10.96.0.1
  selector:
    app: cart
  ports:
  - name: http
    port: 80
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  rules:
  - {}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
`);

const [POD] = yamlResources(`
apiVersion: v1
kind: Pod
metadata:
  name: cart-0
  namespace: shop
  labels:
    app: cart
    version: v1
spec:
  nodeName: node-a
  containers:
  - name: cart
    image: cart
status:
  phase: Running
  podIP: 10.1.0.1
  conditions:
  - type: Ready
    status: "True"
`) as [PodResource];

/** A copy of the template pod with another name, IP and labels. */
function pod(index: number, labels: Record<string, string> = { app: 'cart', version: 'v1' }): PodResource {
  const ip = `10.${1 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;
  return { ...POD, metadata: { ...POD.metadata, name: `cart-${index}`, labels }, status: { ...POD.status, podIP: ip } };
}

const names = (list: readonly { name: string }[]): string[] => list.map((t) => t.name).sort();

describe('Translator', () => {
  it('emits every output on the first batch, with versions', () => {
    const translator = new Translator();
    const delta = translator.apply({ upserted: [...MESH, pod(0)] });
    expect(names(delta.addresses.upserted)).toEqual(['Kubernetes//Pod/shop/cart-0', 'shop/cart.shop.svc.cluster.local']);
    expect(names(delta.authorizations.upserted)).toEqual(['istio-system/istio_converted_static_strict', 'shop/cart']);
    for (const t of [...delta.addresses.upserted, ...delta.authorizations.upserted]) expect(t.version).toMatch(/^[\w-]{16}$/);
    expect(translator.snapshot()).toEqual(translate([...MESH, pod(0)]));
  });

  it('reports nothing when a batch changes no output, and keeps versions', () => {
    const translator = new Translator();
    translator.apply({ upserted: [...MESH, pod(0)] });
    const before = translator.snapshot();
    // Same content again, and a change to a field the translation does not read.
    const relabelled = { ...pod(0), spec: { ...pod(0).spec, restartPolicy: 'Always' as const } };
    const delta = translator.apply({ upserted: [relabelled, ...MESH] });
    expect(delta.addresses).toEqual({ upserted: [], removed: [] });
    expect(delta.authorizations).toEqual({ upserted: [], removed: [] });
    expect(delta.recomputed.workloads).toBeGreaterThan(0);
    expect(translator.snapshot()).toEqual(before);
  });

  it('removes the outputs of removed resources', () => {
    const translator = new Translator();
    translator.apply({ upserted: [...MESH, pod(0)] });
    const delta = translator.apply({ removed: [idOf(pod(0)), ...MESH.filter((r) => r.kind === 'PeerAuthentication').map(idOf)] });
    expect(delta.addresses.removed).toEqual(['Kubernetes//Pod/shop/cart-0']);
    expect(delta.authorizations.removed).toEqual(['istio-system/istio_converted_static_strict']);
    expect(delta.addresses.upserted).toEqual([]);
  });

  it('ignores kinds it does not translate and unknown removals', () => {
    const [vs] = yamlResources('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [cart]\n  http:\n  - route:\n    - destination: {host: cart}\n');
    const translator = new Translator();
    const delta = translator.apply({ upserted: [vs!], removed: [idOf(pod(9))] });
    const none = { upserted: [], removed: [] };
    expect(delta).toEqual({ addresses: none, authorizations: none, routeTables: none, clusters: none, listeners: none, recomputed: { workloads: 0, services: 0, authorizations: 0, l7: 0 } });
  });

  it('refuses a batch that names a resource twice, before applying any of it', () => {
    const translator = new Translator();
    expect(() => translator.apply({ upserted: [pod(0)], removed: [idOf(pod(0))] })).toThrow(ConflictingChangeError);
    expect(translator.snapshot()).toEqual({ addresses: [], authorizations: [], routeTables: [], clusters: [], listeners: [] });
  });

  it('recomputes one workload when one pod of a 10,000-workload mesh changes', () => {
    const pods: Resource[] = Array.from({ length: 10_000 }, (_, i) => pod(i));
    const translator = new Translator();
    const initial = translator.apply({ upserted: [...MESH, ...pods] });
    expect(initial.addresses.upserted).toHaveLength(10_001);

    const delta = translator.apply({ upserted: [pod(4242, { app: 'cart', version: 'v2' })] });
    // L7: only the clusters of the one service the pod serves (its subsets could have changed).
    expect(delta.recomputed).toEqual({ workloads: 1, services: 0, authorizations: 0, l7: 1 });
    expect(names(delta.addresses.upserted)).toEqual(['Kubernetes//Pod/shop/cart-4242']);

    // A pod that stops being selected changes only itself too: services do not list their endpoints.
    const leaving = translator.apply({ upserted: [pod(7, { app: 'other' })] });
    expect(leaving.recomputed).toEqual({ workloads: 1, services: 0, authorizations: 0, l7: 1 });
  });
});
