import { afterEach, describe, expect, it } from 'vitest';
import { securityV1, type l7V1 } from '@ambit/xds';
import { eventually } from '@ambit/test-support';
import { startMesh, ZTUNNEL_IDENTITY, type RunningMesh } from './support/control-plane.js';
import { L7TestProxy } from './support/l7-proxy.js';
import { issue } from './support/proxy.js';

const running: { mesh: RunningMesh; proxies: L7TestProxy[] }[] = [];
afterEach(async () => {
  for (const { mesh, proxies } of running.splice(0)) {
    for (const proxy of proxies) proxy.close();
    await mesh.close();
  }
});

const WAYPOINT_YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: demo }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]
`;

const NAMESPACE_WITH_WAYPOINT = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint }
`;

const DESTINATION_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: demo }
spec:
  host: web
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`;

const virtualService = (v1: number, v2: number): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: demo }
spec:
  hosts: [web]
  http:
  - route:
    - { destination: { host: web, subset: v1 }, weight: ${v1} }
    - { destination: { host: web, subset: v2 }, weight: ${v2} }
`;

const GATEWAY_YAML = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: demo }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["demo/web.example.com"]
`;

const ROUTE_TABLE = 'waypoint/demo/waypoint/web.demo.svc.cluster.local:80';
const CLUSTERS = ['outbound|80|v1|web.demo.svc.cluster.local', 'outbound|80|v2|web.demo.svc.cluster.local'];

async function meshWithWaypoint(): Promise<{ mesh: RunningMesh; connect: (identity: string, role: string) => L7TestProxy }> {
  const mesh = await startMesh();
  const proxies: L7TestProxy[] = [];
  running.push({ mesh, proxies });
  await mesh.dir.write('waypoint.yaml', WAYPOINT_YAML);
  await mesh.dir.write('destination-rule.yaml', DESTINATION_RULE);
  await mesh.dir.write('virtual-service.yaml', virtualService(90, 10));
  await mesh.dir.write('gateway.yaml', GATEWAY_YAML);
  await mesh.dir.write('namespace.yaml', NAMESPACE_WITH_WAYPOINT);
  const connect = (identity: string, role: string): L7TestProxy => {
    const proxy = new L7TestProxy({
      address: mesh.controlPlane.addresses.xds,
      certificate: issue(mesh.ca, identity),
      trustBundle: mesh.ca.trustBundle(),
      serverIdentity: mesh.controlPlane.identity,
      nodeId: `${role}-1`,
      role,
    });
    proxies.push(proxy);
    return proxy;
  };
  return { mesh, connect };
}

describe('L7 resources over delta xDS, per caller', () => {
  it('gives a waypoint its route tables and the clusters they name, and a ztunnel none', async () => {
    const { connect } = await meshWithWaypoint();
    const waypoint = connect('spiffe://cluster.local/ns/demo/sa/waypoint', 'waypoint');
    await eventually(() => (waypoint.routeTables.held.has(ROUTE_TABLE) && waypoint.clusters.held.size === 2 ? true : undefined), 'the waypoint to hold its routes');
    expect(waypoint.routeTables.names()).toEqual([ROUTE_TABLE]);
    expect(waypoint.clusters.names()).toEqual(CLUSTERS);
    const table = waypoint.routeTables.held.get(ROUTE_TABLE)!;
    const route = table.virtualHosts[0]!.routes[0]!;
    expect(route.action === 'forward' && route.forward.clusters.map((c) => [c.cluster, c.weight])).toEqual([
      [CLUSTERS[0], 90],
      [CLUSTERS[1], 10],
    ]);
    // Endpoints come from the Addresses the waypoint also gets; a Gateway's Listener is not its business.
    expect(waypoint.addresses.held.size).toBeGreaterThan(0);
    expect(waypoint.listeners.names()).toEqual([]);

    // A ztunnel (its certificate, role ztunnel) subscribes to the same types and gets Addresses only.
    const ztunnel = connect(ZTUNNEL_IDENTITY, 'ztunnel');
    await eventually(() => (ztunnel.addresses.held.size > 0 ? true : undefined), 'the ztunnel to hold addresses');
    const first = await ztunnel.routeTables.updates.next('the ztunnel’s first RouteTable response');
    expect(first.upserted).toEqual([]);
    expect(ztunnel.clusters.names()).toEqual([]);
    expect(ztunnel.listeners.names()).toEqual([]);
  });

  it('pushes only the changed route table when a VirtualService changes, and follows a new waypoint identity', async () => {
    const { mesh, connect } = await meshWithWaypoint();
    const waypoint = connect('spiffe://cluster.local/ns/demo/sa/waypoint', 'waypoint');
    await eventually(() => (waypoint.routeTables.held.has(ROUTE_TABLE) && waypoint.clusters.held.size === 2 ? true : undefined), 'the waypoint to hold its routes');
    // Another identity claiming the waypoint role is another waypoint: it gets nothing of this one's.
    const impostor = connect('spiffe://cluster.local/ns/demo/sa/web', 'waypoint');
    expect((await impostor.routeTables.updates.next('the impostor’s first RouteTable response')).upserted).toEqual([]);

    const weights = (table: l7V1.RouteTable): number[] => {
      const route = table.virtualHosts[0]!.routes[0]!;
      return route.action === 'forward' ? route.forward.clusters.map((c) => c.weight) : [];
    };
    await mesh.dir.write('virtual-service.yaml', virtualService(50, 50));
    // Updates already queued (the initial sync) are passed over; the change arrives as one update of one table.
    const update = await eventually(async () => {
      const next = await waypoint.routeTables.updates.next('a RouteTable update');
      return next.upserted.some((u) => weights(u.resource).join() === '50,50') ? next : undefined;
    }, 'the new weights');
    expect(update.upserted.map((u) => u.name)).toEqual([ROUTE_TABLE]);
    expect(update.removed).toEqual([]);
    expect(impostor.routeTables.names()).toEqual([]);
  });
});

const NAMESPACE_WIDE_POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: l4-namespace, namespace: demo }
spec:
  rules: [{ from: [{ source: { namespaces: [demo] } }] }]
`;

const webViewer = (methods: string): string => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web-viewer, namespace: demo }
spec:
  targetRefs: [{ kind: Service, group: "", name: web }]
  rules:
  - from: [{ source: { principals: [cluster.local/ns/demo/sa/frontend] } }]
    to: [{ operation: { methods: [${methods}], paths: ["/api/*"] } }]
`;

describe('waypoint Authorizations over delta xDS, per caller', () => {
  it('gives a waypoint exactly the policies attached to it or its services, and a ztunnel none of them', async () => {
    const { mesh, connect } = await meshWithWaypoint();
    await mesh.dir.write('l4-namespace.yaml', NAMESPACE_WIDE_POLICY);
    await mesh.dir.write('web-viewer.yaml', webViewer('GET'));
    const waypoint = connect('spiffe://cluster.local/ns/demo/sa/waypoint', 'waypoint');
    const ztunnel = connect(ZTUNNEL_IDENTITY, 'ztunnel');
    const other = connect('spiffe://cluster.local/ns/demo/sa/other-waypoint', 'waypoint');
    const WEB_VIEWER = 'waypoint/demo/waypoint/demo/web-viewer';
    await eventually(() => (waypoint.authorizations.held.has(WEB_VIEWER) ? true : undefined), 'the waypoint to hold its policy');
    await eventually(() => (ztunnel.authorizations.held.has('demo/l4-namespace') ? true : undefined), 'the ztunnel to hold the L4 policy');
    expect(waypoint.authorizations.names()).toEqual([WEB_VIEWER]);
    expect(ztunnel.authorizations.names()).toEqual(['demo/l4-namespace']);
    expect(other.authorizations.names()).toEqual([]);
    const policy = waypoint.authorizations.held.get(WEB_VIEWER)!;
    expect(policy).toMatchObject({ name: 'web-viewer', namespace: 'demo', scope: securityV1.Scope.SERVICE, services: ['demo/web.demo.svc.cluster.local'] });
    expect(policy.groups[0]!.rules[0]!.matches[0]!.methods).toEqual([{ matchType: 'exact', exact: 'GET' }]);

    // A change reaches the waypoint as one update of that policy; the ztunnel hears nothing of it.
    await mesh.dir.write('web-viewer.yaml', webViewer('GET, POST'));
    const update = await eventually(async () => {
      const next = await waypoint.authorizations.updates.next('an Authorization update');
      return next.upserted.some((u) => u.resource.groups[0]?.rules[0]?.matches[0]?.methods.length === 2) ? next : undefined;
    }, 'the new methods');
    expect(update.upserted.map((u) => u.name)).toEqual([WEB_VIEWER]);
    expect(ztunnel.authorizations.names()).toEqual(['demo/l4-namespace']);

    // The policy's enforcement follows the service's waypoint: when the namespace stops using it, the policy leaves.
    await mesh.dir.write('namespace.yaml', NAMESPACE_WITH_WAYPOINT.replace(', istio.io/use-waypoint: waypoint', ''));
    await eventually(() => (waypoint.authorizations.held.size === 0 ? true : undefined), 'the policy to leave the waypoint');
    expect(ztunnel.authorizations.names()).toEqual(['demo/l4-namespace']);
  });
});
