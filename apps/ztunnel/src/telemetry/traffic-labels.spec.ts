import { describe, expect, it } from 'vitest';
import { service, workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import { parseBaggage } from './baggage.js';
import { TCP_LABEL_NAMES, trafficLabels } from './traffic-labels.js';

function state() {
  const proxy = new ProxyState();
  const details = (name: string) => ({ serviceAccount: name, workloadName: `${name}-v1`, canonicalName: name, canonicalRevision: 'v1', clusterId: 'Kubernetes' });
  proxy.applyAddresses({
    upserted: [
      workload('web', { ip: '10.0.0.2', namespace: 'demo', overrides: details('web') }),
      workload('client', { ip: '10.0.0.1', namespace: 'shop', overrides: details('client') }),
      service('web', { namespace: 'demo' }),
    ],
    removed: [],
  });
  const view = proxy.view;
  return { web: view.workloads.byUid('Kubernetes//Pod/demo/web')!, client: view.workloads.byUid('Kubernetes//Pod/shop/client')!, svc: view.services.byKey('demo/web.demo.svc.cluster.local')! };
}

describe('trafficLabels', () => {
  it('has every Istio TCP label, in ztunnel order', () => {
    expect(Object.keys(trafficLabels({ reporter: 'source', securityPolicy: 'unknown' }))).toEqual([...TCP_LABEL_NAMES]);
  });

  it('writes "unknown" for what is not known, as ztunnel does', () => {
    const labels = trafficLabels({ reporter: 'destination', securityPolicy: 'unknown' });
    expect(labels).toMatchObject({ reporter: 'destination', source_workload: 'unknown', source_principal: 'unknown', destination_service: 'unknown', request_protocol: 'tcp', response_flags: '-', connection_security_policy: 'unknown' });
  });

  it('labels a known source and destination from the state, the principal only from the verified identity', () => {
    const { web, client, svc } = state();
    const labels = trafficLabels({ reporter: 'destination', securityPolicy: 'mutual_tls', source: client, derivedSource: { identity: client.identity, workloadName: 'lies' }, destination: web, destinationService: svc });
    expect(labels).toEqual({
      reporter: 'destination',
      source_workload: 'client-v1',
      source_canonical_service: 'client',
      source_canonical_revision: 'v1',
      source_workload_namespace: 'shop',
      source_principal: 'spiffe://cluster.local/ns/shop/sa/client',
      source_app: 'client',
      source_version: 'v1',
      source_cluster: 'Kubernetes',
      destination_service: 'web.demo.svc.cluster.local',
      destination_service_namespace: 'demo',
      destination_service_name: 'web',
      destination_workload: 'web-v1',
      destination_canonical_service: 'web',
      destination_canonical_revision: 'v1',
      destination_workload_namespace: 'demo',
      destination_principal: 'spiffe://cluster.local/ns/demo/sa/web',
      destination_app: 'web',
      destination_version: 'v1',
      destination_cluster: 'Kubernetes',
      request_protocol: 'tcp',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
    // A source known by address without a verified identity has no principal.
    expect(trafficLabels({ reporter: 'destination', securityPolicy: 'unknown', source: client }).source_principal).toBe('unknown');
  });

  it('labels an unknown source from what it said (baggage), as ztunnel derives it', () => {
    const said = parseBaggage('k8s.cluster.name=K1,k8s.namespace.name=shop,k8s.deployment.name=client-v1,service.name=client,service.version=v2');
    const labels = trafficLabels({ reporter: 'destination', securityPolicy: 'mutual_tls', derivedSource: { ...said, identity: 'spiffe://cluster.local/ns/shop/sa/client' } });
    expect(labels).toMatchObject({
      source_workload: 'client-v1',
      source_canonical_service: 'client',
      source_canonical_revision: 'v2',
      source_workload_namespace: 'shop',
      source_principal: 'spiffe://cluster.local/ns/shop/sa/client',
      // ztunnel's DerivedWorkload puts the workload name in source_app.
      source_app: 'client-v1',
      source_version: 'v2',
      source_cluster: 'K1',
    });
  });
});

describe('parseBaggage', () => {
  it('reads the keys ztunnel reads and skips the rest', () => {
    expect(parseBaggage('k8s.pod.name=p,service.name=s,other=x,k8s.cronjob.name=c')).toEqual({ workloadName: 'c', app: 's' });
    expect(parseBaggage('service.name=s;prop=1')).toEqual({ app: 's' });
  });

  it('survives bad input: no header, no "=", empty values (which clear)', () => {
    expect(parseBaggage(undefined)).toEqual({});
    expect(parseBaggage(',,=,novalue,service.name')).toEqual({});
    expect(parseBaggage('service.name=s,service.name=')).toEqual({});
  });
});
