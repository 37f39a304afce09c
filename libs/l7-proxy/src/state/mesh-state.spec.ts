import { thrown } from '@ambit/test-support';
import { l7V1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { cluster, routeTable, serviceAddress, upsert, workloadAddress } from '../__support__/resources.js';
import { UpdateRejectedError } from './errors.js';
import { GATEWAY_ROUTE_TABLES, WAYPOINT_ROUTE_TABLES } from './l7-resources.js';
import { MeshState } from './mesh-state.js';

const REVIEWS = 'demo/reviews.demo.svc.cluster.local';
const TABLE = 'waypoint/demo/waypoint/reviews.demo.svc.cluster.local:9080';

describe('MeshState', () => {
  it('indexes workloads by uid and address, services by key and VIP, and endpoints by service', () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(
      upsert(
        ['Kubernetes//Pod/demo/r1', workloadAddress('Kubernetes//Pod/demo/r1', { ip: '127.0.10.1', services: { [REVIEWS]: [[9080, 8080]] } })],
        [REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])],
      ),
    );
    const view = state.view;
    expect(view.workloads.byUid('Kubernetes//Pod/demo/r1')).toMatchObject({ identity: 'spiffe://cluster.local/ns/demo/sa/default', workloadIps: ['127.0.10.1'], protocol: 'HBONE', status: 'Healthy' });
    expect(view.workloads.byAddress('', '127.0.10.1')?.uid).toBe('Kubernetes//Pod/demo/r1');
    expect(view.services.byVip('', '10.96.0.5')?.key).toBe(REVIEWS);
    expect([...view.services.endpoints(REVIEWS).keys()]).toEqual(['Kubernetes//Pod/demo/r1']);
    expect(view.sizes).toEqual({ workloads: 1, services: 1, routeTables: 0, clusters: 0, listeners: 0 });
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/demo/r1', REVIEWS] });
    expect(view.workloads.byAddress('', '127.0.10.1')).toBeUndefined();
    expect(view.services.byVip('', '10.96.0.5')).toBeUndefined();
    expect(view.services.endpoints(REVIEWS).size).toBe(0);
  });

  it('tells readers about applied Address and L7 responses alike', () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    let changes = 0;
    const stop = state.view.onChange(() => (changes += 1));
    state.applyAddresses(upsert([REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])]));
    state.applyRouteTables(upsert([TABLE, routeTable('demo', 'reviews.demo.svc.cluster.local', 9080)]));
    stop();
    state.applyClusters(upsert(['outbound|9080||reviews', cluster(REVIEWS, 9080)]));
    expect(changes).toBe(2);
  });

  it('finds the route table of a service port by its context', () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyRouteTables(upsert([TABLE, routeTable('demo', 'reviews.demo.svc.cluster.local', 9080)]));
    expect(state.view.routeTableFor(`${REVIEWS}:9080`)).toBe(TABLE);
    expect(state.view.routeTableFor(`${REVIEWS}:9081`)).toBeUndefined();
    state.applyRouteTables({ upserted: [], removed: [TABLE] });
    expect(state.view.routeTableFor(`${REVIEWS}:9080`)).toBeUndefined();
  });

  it('rejects a response with an invalid resource whole, naming each, and keeps the last good state', () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(upsert([REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])]));
    const bad = workloadAddress('Kubernetes//Pod/demo/bad', { ip: '127.0.10.2' });
    if (bad.type !== 'workload') throw new Error('a workload address');
    const badAddress = { ...bad, workload: { ...bad.workload, addresses: [Uint8Array.of(1, 2, 3)] } };
    const error = thrown(UpdateRejectedError, () =>
      state.applyAddresses({ upserted: [{ name: 'Kubernetes//Pod/demo/bad', resource: badAddress }, { name: 'other', resource: workloadAddress('mismatch') }], removed: [REVIEWS] }),
    );
    expect(error.message).toContain('2 invalid resources: Address "Kubernetes//Pod/demo/bad" workload.addresses[0]: 3 bytes is not an IPv4');
    expect(error.message).toContain('Address "other" workload.uid: "mismatch" differs from the resource name');
    expect(state.view.services.byKey(REVIEWS)).toBeDefined();
    expect(error.code).toBe('AMBIT_ERR_PROXY_UPDATE_REJECTED');
  });

  it.each([
    ['a gateway table', 'waypoint/demo/wp/x:80', { context: 'gatewayPort', gatewayPort: 80, virtualHosts: [] }, /service: is required: a waypoint route table serves one service port \(this one is a gateway port's\)/],
    ['a name that is no waypoint table', 'gateway/demo/gw/80', routeTable('demo', 'x', 80), /name: is not a waypoint route table name/],
    ['a name for another port', 'waypoint/demo/wp/x:81', routeTable('demo', 'x', 80), /service: x:80 is not the service port the name ends with/],
  ])('refuses %s', (_, name, table, message) => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    expect(thrown(UpdateRejectedError, () => state.applyRouteTables(upsert([name, table as never]))).message).toMatch(message);
    expect(state.view.routeTables.size).toBe(0);
  });

  it('refuses two tables for one service port and a cluster without a service', () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    const table = routeTable('demo', 'x', 80);
    expect(thrown(UpdateRejectedError, () => state.applyRouteTables(upsert(['waypoint/demo/a/x:80', table], ['waypoint/demo/b/x:80', table]))).message).toContain('one table per listener context');
    expect(thrown(UpdateRejectedError, () => state.applyClusters(upsert(['outbound|80||x', cluster('x', 80)]))).message).toContain('Cluster "outbound|80||x" service: "x" is not a service key');
  });

  it("NACKs what the engine's check refuses, keeping the tables it accepted before", () => {
    let refuse = false;
    const state = new MeshState({
      routeTables: WAYPOINT_ROUTE_TABLES,
      check: () => {
        if (refuse) throw new Error('route[0]: regex "(" does not compile');
      },
    });
    state.applyRouteTables(upsert([TABLE, routeTable('demo', 'reviews.demo.svc.cluster.local', 9080)]));
    refuse = true;
    const error = thrown(UpdateRejectedError, () => state.applyClusters(upsert(['outbound|9080||reviews', cluster(REVIEWS, 9080)])));
    expect(error.message).toBe('route[0]: regex "(" does not compile');
    expect(state.view.clusters.size).toBe(0);
    expect(state.view.routeTableFor(`${REVIEWS}:9080`)).toBe(TABLE);
  });

  it("takes a gateway's tables by name and its Listeners, refusing what it cannot serve", () => {
    const state = new MeshState({ routeTables: GATEWAY_ROUTE_TABLES });
    const gatewayTable = { context: 'gatewayPort', gatewayPort: 80, virtualHosts: [] } as never;
    state.applyRouteTables(upsert(['gateway/istio-system/a/80', gatewayTable], ['gateway/istio-system/b/80', gatewayTable]));
    expect(state.view.routeTables.size).toBe(2);
    expect(thrown(UpdateRejectedError, () => state.applyRouteTables(upsert(['gateway/istio-system/a/9080', routeTable('demo', 'reviews.demo.svc.cluster.local', 9080)]))).message).toContain("gatewayPort: is required: a gateway route table serves one server port (this one is a waypoint's)");
    const server = { name: '0', port: 443, protocol: 1, hosts: ['*'], tls: null, routeTable: 'gateway/istio-system/a/443', bind: '' } as unknown as l7V1.Server;
    expect(thrown(UpdateRejectedError, () => state.applyListeners(upsert(['istio-system/a', { selector: {}, servers: [server] }]))).message).toContain('Listener "istio-system/a" servers[0].tls: is required for HTTPS and TLS servers');
    state.applyListeners(upsert(['istio-system/a', { selector: {}, servers: [{ ...server, port: 80, protocol: l7V1.Server_Protocol.HTTP, routeTable: 'gateway/istio-system/a/80' }] }]));
    expect(state.view.sizes.listeners).toBe(1);
  });
});
