import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { planLocalMesh } from './plan.js';
import { plannedListeners } from './ports.js';
import { planWaypoints } from './waypoints.js';

const YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: shop}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
---
apiVersion: v1
kind: Pod
metadata: {name: waypoint-0, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: waypoint, istio.io/dataplane-mode: none}}
spec: {nodeName: node-a, serviceAccountName: waypoint, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.30}
---
apiVersion: v1
kind: Pod
metadata: {name: edge-0, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: edge}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.31}
---
apiVersion: v1
kind: Pod
metadata: {name: stray-0, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: missing}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.32}
---
apiVersion: v1
kind: Pod
metadata: {name: gone-0, namespace: shop, labels: {gateway.networking.k8s.io/gateway-name: waypoint}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {phase: Failed, podIP: 127.0.10.33}
`;

describe('planWaypoints', () => {
  const resources = yamlResources(YAML);

  it('plays the live pods of istio-waypoint Gateways only, on their own address with the waypoint ports', () => {
    expect(planWaypoints(resources)).toEqual([
      {
        namespace: 'shop',
        name: 'waypoint-0',
        gateway: 'shop/waypoint',
        node: 'node-a',
        address: '127.0.10.30',
        hbone: '127.0.10.30:15008',
        admin: '127.0.10.30:15000',
        metrics: '127.0.10.30:15020',
        readiness: '127.0.10.30:15021',
      },
    ]);
  });

  it('lists a waypoint pod as a waypoint, not as a workload to send as, and plans its four addresses', () => {
    const plan = planLocalMesh(resources, { xds: 25012, admin: 25014, lowPortOffset: 8000 });
    expect(plan.workloads.map((w) => w.name)).toEqual(['edge-0', 'stray-0']);
    const listeners = plannedListeners(plan).map((l) => `${l.host}:${l.port} ${l.purpose}`);
    expect(listeners.filter((l) => l.startsWith('127.0.10.30:'))).toEqual([
      '127.0.10.30:15008 waypoint shop/waypoint-0 HBONE',
      '127.0.10.30:15000 waypoint shop/waypoint-0 admin',
      '127.0.10.30:15020 waypoint shop/waypoint-0 metrics',
      '127.0.10.30:15021 waypoint shop/waypoint-0 readiness',
    ]);
  });
});
