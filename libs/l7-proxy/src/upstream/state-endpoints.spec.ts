import { describe, expect, it } from 'vitest';
import { cluster, serviceAddress, upsert, workloadAddress } from '../__support__/resources.js';
import { MeshState, WAYPOINT_ROUTE_TABLES } from '../state/index.js';
import { StateEndpoints } from './state-endpoints.js';

const REVIEWS = 'demo/reviews.demo.svc.cluster.local';

describe('StateEndpoints', () => {
  const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
  state.applyAddresses(
    upsert(
      [REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])],
      ['v1', workloadAddress('v1', { ip: '127.0.10.1', sa: 'reviews', services: { [REVIEWS]: [[9080, 0]] } })],
      ['v2', workloadAddress('v2', { ip: '127.0.10.2', healthy: false, services: { [REVIEWS]: [[9080, 8082]] } })],
      ['other-port', workloadAddress('other-port', { ip: '127.0.10.3', services: { [REVIEWS]: [[9090, 9090]] } })],
      ['no-ip', workloadAddress('no-ip', { services: { [REVIEWS]: [[9080, 8080]] } })],
    ),
  );
  const resolver = new StateEndpoints(state.view, { network: '', viaWaypoint: false });

  it("lists the service's workloads for the port, each on its own target port (else the service's), with health", () => {
    expect(resolver.endpoints(cluster(REVIEWS, 9080))).toEqual([
      { uid: 'v1', ip: '127.0.10.1', port: 8080, identity: 'spiffe://cluster.local/ns/demo/sa/reviews', healthy: true },
      { uid: 'v2', ip: '127.0.10.2', port: 8082, identity: 'spiffe://cluster.local/ns/demo/sa/default', healthy: false },
    ]);
  });

  it("lists exactly a subset's workloads", () => {
    expect(resolver.endpoints(cluster(REVIEWS, 9080, ['v2', 'gone'])).map((e) => e.uid)).toEqual(['v2']);
  });
});

describe('StateEndpoints through waypoints', () => {
  const WAYPOINT = 'demo/waypoint.demo.svc.cluster.local';
  /** reviews, using the waypoint service `waypoint`. */
  function withWaypoint(vips: string[]) {
    const service = serviceAddress('demo', 'reviews', vips[0] ?? '10.96.0.5', [[9080, 8080]]);
    if (service.type !== 'service') throw new Error('a service address');
    return { ...service, service: { ...service.service, addresses: vips.length === 0 ? [] : service.service.addresses, waypoint: { hboneMtlsPort: 15008, destination: 'hostname' as const, hostname: { namespace: 'demo', hostname: 'waypoint.demo.svc.cluster.local' } } } };
  }
  const state = (vips: string[]) => {
    const mesh = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    mesh.applyAddresses(
      upsert(
        [REVIEWS, withWaypoint(vips) as never],
        [WAYPOINT, serviceAddress('demo', 'waypoint', '10.96.0.1', [[15008, 15008]])],
        ['wp', workloadAddress('wp', { ip: '127.0.10.50', sa: 'waypoint', services: { [WAYPOINT]: [[15008, 15008]] } })],
        ['v1', workloadAddress('v1', { ip: '127.0.10.1', services: { [REVIEWS]: [[9080, 8080]] } })],
      ),
    );
    return mesh.view;
  };

  it("sends a service that uses a waypoint to the waypoint's workloads, addressed as the service VIP and port", () => {
    expect(new StateEndpoints(state(['10.96.0.5']), { network: '', viaWaypoint: true }).endpoints(cluster(REVIEWS, 9080))).toEqual([
      { uid: 'wp', ip: '10.96.0.5', port: 9080, identity: 'spiffe://cluster.local/ns/demo/sa/waypoint', healthy: true },
    ]);
  });

  it('goes to the workloads when not asked to use waypoints, and nowhere for a service without a VIP', () => {
    expect(new StateEndpoints(state(['10.96.0.5']), { network: '', viaWaypoint: false }).endpoints(cluster(REVIEWS, 9080)).map((e) => e.uid)).toEqual(['v1']);
    expect(new StateEndpoints(state([]), { network: '', viaWaypoint: true }).endpoints(cluster(REVIEWS, 9080))).toEqual([]);
  });
});
