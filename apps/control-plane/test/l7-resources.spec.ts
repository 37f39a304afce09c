import { afterEach, describe, expect, it } from 'vitest';
import type { l7V1 } from '@ambit/xds';
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
