import { describe, expect, it } from 'vitest';
import { workloadV1 } from '@ambit/xds';
import { service, workload } from '../state/__support__/resources.js';
import { ProxyState, type Workload } from '../state/index.js';
import { NoHealthyEndpointError, UnknownServicePortError, WaypointUnavailableError } from './errors.js';
import { OutboundPlanner } from './planner.js';
import { resolveMeshName } from './mesh-names.js';

const WEB = 'default/web.default.svc.cluster.local';
const SOURCE = 'Kubernetes//Pod/default/client';

function mesh(...extra: ReturnType<typeof workload>[]): { state: ProxyState; source: Workload; planner: OutboundPlanner } {
  const state = new ProxyState();
  state.applyAddresses({
    upserted: [
      workload('client', { ip: '10.0.0.100', node: 'node-a', overrides: { locality: { zone: 'zone-a' } } }),
      service('web', { vips: ['10.96.0.10'], ports: [[80, 8080]] }),
      workload('web-1', { ip: '10.0.1.1', hbone: false, services: { [WEB]: [[80, 8080]] } }),
      workload('web-2', { ip: '10.0.1.2', hbone: false, services: { [WEB]: [[80, 8080]] } }),
      ...extra,
    ],
    removed: [],
  });
  return { state, source: state.view.workloads.byUid(SOURCE)!, planner: new OutboundPlanner(state.view) };
}

describe('OutboundPlanner', () => {
  it('spreads connections to a service VIP over its healthy endpoints, mapping the port', () => {
    const { source, planner } = mesh();
    const hops = Array.from({ length: 6 }, () => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 }));
    expect(hops.map((p) => `${p.nextHop.ip}:${p.nextHop.port}`).sort()).toEqual(['10.0.1.1:8080', '10.0.1.1:8080', '10.0.1.1:8080', '10.0.1.2:8080', '10.0.1.2:8080', '10.0.1.2:8080']);
    expect(hops[0]).toMatchObject({ route: 'direct', protocol: 'TCP', hboneTarget: undefined, destinationService: { key: WEB } });
  });

  it('skips unhealthy endpoints and endpoints whose workload is unknown', () => {
    const { state, source, planner } = mesh();
    state.applyAddresses({ upserted: [workload('web-2', { ip: '10.0.1.2', hbone: false, healthy: false, services: { [WEB]: [[80, 8080]] } })], removed: [] });
    const ips = new Set(Array.from({ length: 4 }, () => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 }).nextHop.ip));
    expect([...ips]).toEqual(['10.0.1.1']);
    state.applyAddresses({ upserted: [], removed: ['Kubernetes//Pod/default/web-1'] });
    expect(() => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 })).toThrow(NoHealthyEndpointError);
  });

  it('prefers an endpoint\'s own target port (named ports) and skips endpoints without it', () => {
    const api = 'default/api.default.svc.cluster.local';
    // Port 80 is named in the Service (target 0): only each endpoint knows its number.
    const { source, planner } = mesh(
      workload('api-1', { ip: '10.0.2.1', hbone: false, services: { [api]: [[80, 3000]] } }),
      workload('api-2', { ip: '10.0.2.2', hbone: false, services: { [api]: [[9100, 9100]] } }),
      service('api', { vips: ['10.96.0.20'], ports: [[80, 0], [9100, 9100]] }),
    );
    for (let i = 0; i < 3; i++) expect(planner.plan(source, { kind: 'address', ip: '10.96.0.20', port: 80 }).nextHop).toEqual({ ip: '10.0.2.1', port: 3000 });
    expect(() => planner.plan(source, { kind: 'address', ip: '10.96.0.20', port: 81 })).toThrow(UnknownServicePortError);
    expect(() => planner.plan(source, { kind: 'address', ip: '10.96.0.20', port: 81 })).toThrow('service api.default.svc.cluster.local has no port 81 (it declares 80, 9100)');
  });

  it('sends to an HBONE workload through its node on port 15008, with the inner target and identities', () => {
    const { source, planner } = mesh(workload('mesh-1', { ip: '10.0.3.1', services: { [WEB]: [[80, 8080]] } }));
    const plan = planner.plan(source, { kind: 'address', ip: '10.0.3.1', port: 9000 });
    expect(plan).toMatchObject({ route: 'direct', protocol: 'HBONE', nextHop: { ip: '10.0.3.1', port: 15008 }, hboneTarget: '10.0.3.1:9000', destinationService: undefined });
    expect(plan.upstreamIdentities).toEqual(['spiffe://cluster.local/ns/default/sa/default']);
  });

  it('sends to a pod IP as addressed, without port mapping', () => {
    const { source, planner } = mesh();
    expect(planner.plan(source, { kind: 'address', ip: '10.0.1.2', port: 9999 })).toMatchObject({ route: 'direct', protocol: 'TCP', nextHop: { ip: '10.0.1.2', port: 9999 }, destinationWorkload: { name: 'web-2' } });
  });

  it('passes anything outside the mesh through as plain TCP', () => {
    const { source, planner } = mesh();
    expect(planner.plan(source, { kind: 'address', ip: '93.184.216.34', port: 443 })).toEqual({
      route: 'passthrough',
      protocol: 'TCP',
      source,
      nextHop: { ip: '93.184.216.34', port: 443 },
      hboneTarget: undefined,
      destinationWorkload: undefined,
      destinationService: undefined,
      upstreamIdentities: [],
    });
  });

  it('reaches a service by hostname even without a VIP', () => {
    const { state, source, planner } = mesh();
    state.applyAddresses({ upserted: [service('web', { ports: [[80, 8080]] })], removed: [] });
    const plan = planner.plan(source, { kind: 'service', service: state.view.services.byKey(WEB)!, port: 80 });
    expect(plan.nextHop.port).toBe(8080);
  });

  it('redirects to the service\'s waypoint with the original VIP:port as target', () => {
    const wp = 'default/waypoint.default.svc.cluster.local';
    const { state, source, planner } = mesh(
      workload('waypoint-1', { ip: '10.0.9.1', services: { [wp]: [[15008, 15008]] }, overrides: { serviceAccount: 'waypoint' } }),
      service('waypoint', { ports: [[15008, 15008]] }),
    );
    state.applyAddresses({ upserted: [service('web', { vips: ['10.96.0.10'], overrides: { waypoint: { hostname: { namespace: 'default', hostname: 'waypoint.default.svc.cluster.local' }, hboneMtlsPort: 15008 } } })], removed: [] });
    const plan = planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 });
    expect(plan).toMatchObject({
      route: 'service-waypoint',
      protocol: 'HBONE',
      nextHop: { ip: '10.0.9.1', port: 15008 },
      hboneTarget: '10.96.0.10:80',
      destinationWorkload: { name: 'waypoint-1' },
      destinationService: { key: WEB },
      upstreamIdentities: ['spiffe://cluster.local/ns/default/sa/waypoint'],
    });
    // Named by hostname, the service is still sent to its waypoint as VIP:port (the waypoint finds services by VIP).
    const web = state.view.services.byVip('', '10.96.0.10')!;
    expect(planner.plan(source, { kind: 'service', service: web, port: 80 })).toMatchObject({ route: 'service-waypoint', hboneTarget: '10.96.0.10:80' });
    // Without a VIP there is nothing but the hostname to send.
    state.applyAddresses({ upserted: [service('headless', { overrides: { waypoint: { hostname: { namespace: 'default', hostname: 'waypoint.default.svc.cluster.local' }, hboneMtlsPort: 15008 } } })], removed: [] });
    const headless = state.view.services.byKey('default/headless.default.svc.cluster.local')!;
    expect(planner.plan(source, { kind: 'service', service: headless, port: 80 })).toMatchObject({ hboneTarget: 'headless.default.svc.cluster.local:80' });
  });

  it('redirects to a workload\'s waypoint, except for the waypoint\'s own traffic', () => {
    const { state, source, planner } = mesh(workload('waypoint-1', { ip: '10.0.9.1', overrides: { serviceAccount: 'waypoint' } }));
    state.applyAddresses({ upserted: [workload('guarded', { ip: '10.0.4.1', overrides: { waypoint: { address: { network: '', address: Buffer.from([10, 0, 9, 1]) } } } })], removed: [] });
    expect(planner.plan(source, { kind: 'address', ip: '10.0.4.1', port: 80 })).toMatchObject({ route: 'workload-waypoint', nextHop: { ip: '10.0.9.1', port: 15008 }, hboneTarget: '10.0.4.1:80' });
    const waypoint = state.view.workloads.byUid('Kubernetes//Pod/default/waypoint-1')!;
    expect(planner.plan(waypoint, { kind: 'address', ip: '10.0.4.1', port: 80 })).toMatchObject({ route: 'direct', hboneTarget: '10.0.4.1:80' });
  });

  it('fails clearly when a waypoint cannot be reached', () => {
    const { state, source, planner } = mesh();
    state.applyAddresses({ upserted: [service('web', { vips: ['10.96.0.10'], overrides: { waypoint: { hostname: { namespace: 'default', hostname: 'gone.default.svc.cluster.local' } } } })], removed: [] });
    expect(() => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 })).toThrow(WaypointUnavailableError);
  });

  it('keeps only same-zone endpoints under a strict locality preference, and prefers them under failover', () => {
    const { state, source, planner } = mesh();
    const zoned = (name: string, ip: string, zone: string) => workload(name, { ip, hbone: false, services: { [WEB]: [[80, 8080]] }, overrides: { locality: { zone } } });
    state.applyAddresses({ upserted: [zoned('web-1', '10.0.1.1', 'zone-a'), zoned('web-2', '10.0.1.2', 'zone-b')], removed: [] });
    const withMode = (mode: workloadV1.LoadBalancing_Mode) =>
      state.applyAddresses({ upserted: [service('web', { vips: ['10.96.0.10'], overrides: { loadBalancing: { routingPreference: [workloadV1.LoadBalancing_Scope.ZONE], mode } } })], removed: [] });
    const ips = () => new Set(Array.from({ length: 4 }, () => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 }).nextHop.ip));
    withMode(workloadV1.LoadBalancing_Mode.FAILOVER);
    expect([...ips()]).toEqual(['10.0.1.1']);
    withMode(workloadV1.LoadBalancing_Mode.STRICT);
    state.applyAddresses({ upserted: [zoned('web-1', '10.0.1.1', 'zone-c')], removed: [] });
    expect(() => planner.plan(source, { kind: 'address', ip: '10.96.0.10', port: 80 })).toThrow(NoHealthyEndpointError);
    withMode(workloadV1.LoadBalancing_Mode.FAILOVER);
    expect(ips().size).toBe(2);
  });
});

describe('resolveMeshName', () => {
  const { state } = mesh(workload('vm', { ip: '10.0.5.1', overrides: { hostname: 'vm.corp.example' } }));
  const name = (host: string, namespace = 'default') => {
    const found = resolveMeshName(state.view, host, namespace, 'cluster.local');
    return found === undefined ? undefined : found.kind === 'service' ? found.service.key : found.workload.uid;
  };

  it('resolves full, short and namespaced names as a pod\'s search list would', () => {
    expect(name('web.default.svc.cluster.local')).toBe(WEB);
    expect(name('WEB.default.svc.cluster.local.')).toBe(WEB);
    expect(name('web')).toBe(WEB);
    expect(name('web.default')).toBe(WEB);
    expect(name('web.default.svc')).toBe(WEB);
    expect(name('web', 'other')).toBeUndefined();
    expect(name('web.default', 'other')).toBe(WEB);
  });

  it('finds workloads by hostname, and nothing for names outside the mesh', () => {
    expect(name('vm.corp.example')).toBe('Kubernetes//Pod/default/vm');
    expect(name('example.com')).toBeUndefined();
    expect(name('')).toBeUndefined();
  });

  it('prefers the source namespace\'s definition of a hostname', () => {
    const s = new ProxyState();
    const entry = (namespace: string) => service('api', { namespace, overrides: { hostname: 'api.example.com' } });
    s.applyAddresses({ upserted: [{ ...entry('a'), name: 'a/api.example.com' }, { ...entry('b'), name: 'b/api.example.com' }], removed: [] });
    const key = (ns: string) => {
      const found = resolveMeshName(s.view, 'api.example.com', ns, 'cluster.local');
      return found?.kind === 'service' ? found.service.key : undefined;
    };
    expect(key('b')).toBe('b/api.example.com');
    expect(key('a')).toBe('a/api.example.com');
    expect(key('z')).toBe('a/api.example.com');
  });
});
