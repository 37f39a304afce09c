import type { KubernetesGatewayResource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { waypointOf } from './waypoint.js';
import { waypointUse } from './waypoint-use.js';

const gateway = (extra: string, className = 'istio-waypoint', meta = ''): KubernetesGatewayResource =>
  yamlResources(
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: wp\n  namespace: ns\n${meta}\nspec:\n  gatewayClassName: ${className}\n  listeners:\n  - name: mesh\n    port: 15008\n    protocol: HBONE\n${extra}`,
  )[0] as KubernetesGatewayResource;

describe('waypointOf', () => {
  it('is a waypoint only for class istio-waypoint', () => {
    expect(waypointOf(gateway('', 'istio'), 'cluster.local')).toBeUndefined();
  });

  it('defaults to service traffic, the same namespace, and the hostname of its Service', () => {
    expect(waypointOf(gateway(''), 'cluster.local')).toEqual({
      key: 'ns/wp',
      namespace: 'ns',
      name: 'wp',
      trafficType: 'service',
      address: { kind: 'hostname', namespace: 'ns', hostname: 'wp.ns.svc.cluster.local' },
      hbonePort: 15008,
      allowedNamespaces: { from: 'Same' },
    });
  });

  it('takes the address from status (hostname first), then spec', () => {
    const status = '    allowedRoutes: {namespaces: {from: All}}\nstatus:\n  addresses:\n  - {type: IPAddress, value: 10.0.0.9}\n  - {type: Hostname, value: wp.example}';
    expect(waypointOf(gateway(status), 'cluster.local')).toMatchObject({ address: { kind: 'hostname', hostname: 'wp.example' }, allowedNamespaces: { from: 'All' } });
    expect(waypointOf(gateway('  addresses:\n  - {type: IPAddress, value: 10.0.0.8}'), 'cluster.local')?.address).toEqual({ kind: 'ip', ip: '10.0.0.8' });
  });

  it('reads istio.io/waypoint-for and a namespace selector', () => {
    const wp = waypointOf(gateway('    allowedRoutes:\n      namespaces:\n        from: Selector\n        selector: {matchLabels: {team: a}}', 'istio-waypoint', '  labels: {istio.io/waypoint-for: all}'), 'cluster.local');
    expect(wp).toMatchObject({ trafficType: 'all', allowedNamespaces: { from: 'Selector', selector: { matchLabels: { team: 'a' } } } });
  });
});

describe('waypointUse', () => {
  it('reads use-waypoint, its namespace override and none', () => {
    expect(waypointUse({}, 'ns')).toBeUndefined();
    expect(waypointUse({ 'istio.io/use-waypoint': 'none' }, 'ns')).toEqual({ kind: 'none' });
    expect(waypointUse({ 'istio.io/use-waypoint': 'wp' }, 'ns')).toEqual({ kind: 'waypoint', namespace: 'ns', name: 'wp' });
    expect(waypointUse({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' }, 'ns')).toEqual({ kind: 'waypoint', namespace: 'infra', name: 'wp' });
  });
});
