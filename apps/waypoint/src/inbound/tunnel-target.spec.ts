import { thrown } from '@ambit/test-support';
import { describe, expect, it } from 'vitest';
import { MeshState, WAYPOINT_ROUTE_TABLES } from '@ambit/l7-proxy';
import { routeTable, serviceAddress, upsert } from '@ambit/l7-proxy/testing';
import { TunnelRefusedError } from './errors.js';
import { tunnelTarget } from './tunnel-target.js';

function state(): MeshState {
  const mesh = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
  mesh.applyAddresses(upsert(['demo/reviews.demo.svc.cluster.local', serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080], [9090, 9090]])]));
  mesh.applyRouteTables(upsert(['waypoint/demo/waypoint/reviews.demo.svc.cluster.local:9080', routeTable('demo', 'reviews.demo.svc.cluster.local', 9080)]));
  return mesh;
}

describe('tunnelTarget', () => {
  it("resolves a VIP:port authority to the service and the waypoint's route table for that port", () => {
    expect(tunnelTarget(state().view, '', { ip: '10.96.0.5', port: 9080 })).toMatchObject({ service: { key: 'demo/reviews.demo.svc.cluster.local' }, vip: '10.96.0.5', port: 9080, routeTable: 'waypoint/demo/waypoint/reviews.demo.svc.cluster.local:9080' });
    // A dual-stack socket's spelling of an IPv4 VIP.
    expect(tunnelTarget(state().view, '', { ip: '::ffff:10.96.0.5', port: 9080 }).routeTable).toBe('waypoint/demo/waypoint/reviews.demo.svc.cluster.local:9080');
  });

  it.each([
    ['an unknown VIP', { ip: '10.96.0.6', port: 9080 }, 'CONNECT 10.96.0.6:9080 refused: 10.96.0.6 is not the VIP of a service the waypoint knows'],
    ['a VIP on another network', { ip: '10.96.0.5', port: 9080 }, 'is not the VIP of a service', 'other'],
    ['a port without a route table', { ip: '10.96.0.5', port: 9090 }, 'CONNECT 10.96.0.5:9090 refused: the waypoint has no route table for reviews.demo.svc.cluster.local:9090'],
  ])('refuses %s with 404', (_, destination, message, network = '') => {
    const error = thrown(TunnelRefusedError, () => tunnelTarget(state().view, network, destination));
    expect(error.message).toContain(message);
    expect(error).toMatchObject({ status: 404, code: 'AMBIT_ERR_WAYPOINT_TUNNEL_REFUSED' });
  });
});
