import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { planGateways } from './gateways.js';
import { planLocalMesh } from './plan.js';
import { plannedListeners } from './ports.js';

const YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}
  - {port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"], tls: {mode: SIMPLE, credentialName: shop-cert}}
  - {port: {number: 9443, name: tls, protocol: TLS}, hosts: ["*"], tls: {mode: PASSTHROUGH}}
  - {port: {number: 15443, name: grpc, protocol: GRPC}, bind: 127.0.10.60, hosts: ["*"]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: everywhere, namespace: shop}
spec:
  servers:
  - {port: {number: 80, name: http2, protocol: HTTP2}, hosts: ["*"]}
  - {port: {number: 8081, name: extra, protocol: HTTP}, hosts: ["*"]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front, namespace: shop}
spec:
  hosts: ["shop.example.com", "*.shop.example.com"]
  gateways: [shop/public, mesh]
  http:
  - match: [{uri: {regex: "/re.*"}}]
    route: [{destination: {host: regex}}]
  - match: [{headers: {x-a: {exact: b}}}, {uri: {prefix: /cart}}]
    route: [{destination: {host: cart}}]
  - route: [{destination: {host: front.shop.svc.cluster.local}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: other, namespace: shop}
spec:
  hosts: ["*"]
  gateways: [elsewhere]
  http:
  - route: [{destination: {host: nowhere}}]
---
apiVersion: v1
kind: Pod
metadata: {name: ingress-0, namespace: edge, labels: {istio: ingressgateway}}
spec: {nodeName: node-a, serviceAccountName: ingress, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.40}
---
apiVersion: v1
kind: Pod
metadata: {name: gone-0, namespace: edge, labels: {istio: ingressgateway}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {phase: Succeeded, podIP: 127.0.10.41}
---
apiVersion: v1
kind: Pod
metadata: {name: app-0, namespace: shop, labels: {app: front}}
spec: {nodeName: node-a, containers: [{name: c, image: i}]}
status: {podIP: 127.0.10.42}
`;

describe('planGateways', () => {
  const resources = yamlResources(YAML);

  it("plays the live pods an Istio Gateway's selector picks, serving the union of their servers by port", () => {
    expect(planGateways(resources, 8000, 'cluster.local')).toEqual([
      {
        namespace: 'edge',
        name: 'ingress-0',
        // The Gateway without a selector applies to every gateway pod (it makes none a gateway).
        gateways: ['shop/everywhere', 'shop/public'],
        node: 'node-a',
        address: '127.0.10.40',
        lowPortOffset: 8000,
        ports: [
          // Port 80 is the first Gateway's (name order) HTTP2 server; TLS passthrough is not served.
          { port: 80, servedAt: '127.0.10.40:8080', protocol: 'HTTP2' },
          { port: 8081, servedAt: '127.0.10.40:8081', protocol: 'HTTP' },
          { port: 443, servedAt: '127.0.10.40:8443', protocol: 'HTTPS' },
          { port: 15443, servedAt: '127.0.10.60:15443', protocol: 'GRPC' },
        ],
        routes: [
          { virtualService: 'shop/front', path: '/cart', host: 'shop.example.com', destination: 'cart.shop.svc.cluster.local' },
          { virtualService: 'shop/front', path: '/', host: 'shop.example.com', destination: 'front.shop.svc.cluster.local' },
        ],
        admin: '127.0.10.40:15000',
        metrics: '127.0.10.40:15020',
        readiness: '127.0.10.40:15021',
      },
    ]);
  });

  it('serves ports below 1024 as written with no offset (root)', () => {
    expect(planGateways(resources, 0, 'cluster.local')[0]!.ports.map((p) => p.servedAt)).toEqual(['127.0.10.40:80', '127.0.10.40:8081', '127.0.10.40:443', '127.0.10.60:15443']);
  });

  it('lists a gateway pod with the gateways, not as a workload, and plans its served ports and endpoints', () => {
    const plan = planLocalMesh(resources, { xds: 25012, admin: 25014, lowPortOffset: 8000 });
    expect(plan.gateways.map((g) => g.name)).toEqual(['ingress-0']);
    expect(plan.workloads.map((w) => w.name)).toEqual(['app-0']);
    const listeners = plannedListeners(plan).map((l) => `${l.host}:${l.port} ${l.purpose}`);
    expect(listeners.filter((l) => l.includes('gateway'))).toEqual([
      '127.0.10.40:8080 gateway edge/ingress-0 HTTP2 port 80',
      '127.0.10.40:8081 gateway edge/ingress-0 HTTP port 8081',
      '127.0.10.40:8443 gateway edge/ingress-0 HTTPS port 443',
      '127.0.10.60:15443 gateway edge/ingress-0 GRPC port 15443',
      '127.0.10.40:15000 gateway edge/ingress-0 admin',
      '127.0.10.40:15020 gateway edge/ingress-0 metrics',
      '127.0.10.40:15021 gateway edge/ingress-0 readiness',
    ]);
  });

  it('has no gateway without a Gateway that selects a pod', () => {
    expect(planGateways(resources.filter((r) => r.metadata.name !== 'public'), 8000, 'cluster.local')).toEqual([]);
  });
});
