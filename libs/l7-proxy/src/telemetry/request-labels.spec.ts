import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { cluster, serviceAddress, upsert, workloadAddress } from '../__support__/resources.js';
import { MeshState, WAYPOINT_ROUTE_TABLES } from '../state/index.js';
import { REQUEST_LABEL_NAMES, requestLabels } from './request-labels.js';
import { RequestMetrics } from './request-metrics.js';

const REVIEWS = 'demo/reviews.demo.svc.cluster.local';

describe('requestLabels', () => {
  it('says unknown for what the waypoint does not know, and takes the namespace from the principal', () => {
    const labels = requestLabels({ reporter: 'waypoint', sourceIdentity: 'spiffe://cluster.local/ns/client-ns/sa/curl', protocol: 'http', status: 404, responseFlags: 'NR' });
    expect(Object.keys(labels)).toEqual([...REQUEST_LABEL_NAMES]);
    expect(labels).toMatchObject({
      reporter: 'waypoint',
      source_principal: 'spiffe://cluster.local/ns/client-ns/sa/curl',
      source_workload_namespace: 'client-ns',
      source_workload: 'unknown',
      destination_service: 'unknown',
      response_code: '404',
      response_flags: 'NR',
      connection_security_policy: 'mutual_tls',
      request_protocol: 'http',
    });
  });
});

describe('RequestMetrics', () => {
  it("labels a request with the source workload at the client's address, the endpoint's workload and the cluster's service", async () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(
      upsert(
        [REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])],
        ['client', workloadAddress('client', { ns: 'web', ip: '127.0.10.9', sa: 'curl', name: 'curl' })],
        ['r1', workloadAddress('r1', { ip: '127.0.10.1', sa: 'reviews', name: 'reviews-v1', services: { [REVIEWS]: [[9080, 8080]] } })],
      ),
    );
    state.applyClusters(upsert(['outbound|9080||reviews.demo.svc.cluster.local', cluster(REVIEWS, 9080)]));
    const registry = new Registry();
    const metrics = new RequestMetrics({ registry, state: state.view, network: '', reporter: 'waypoint' });
    metrics.completed({
      route: 'default',
      cluster: 'outbound|9080||reviews.demo.svc.cluster.local',
      endpoint: { uid: 'r1', ip: '127.0.10.1', port: 8080, identity: 'spiffe://cluster.local/ns/demo/sa/reviews', healthy: true },
      status: 200,
      responseFlags: '-',
      durationMs: 3,
      requestBytes: 0,
      responseBytes: 1024,
      context: { routeTable: 't', scheme: 'http', protocol: 'grpc', source: { identity: 'spiffe://cluster.local/ns/web/sa/curl', ip: '127.0.10.9' } },
    } as never);
    const text = await registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith('istio_requests_total{'));
    expect(line).toContain('reporter="waypoint",source_workload="curl"');
    expect(line).toContain('source_principal="spiffe://cluster.local/ns/web/sa/curl"');
    expect(line).toContain('destination_workload="reviews-v1",destination_workload_namespace="demo",destination_principal="spiffe://cluster.local/ns/demo/sa/reviews"');
    expect(line).toContain('destination_service="reviews.demo.svc.cluster.local"');
    expect(line).toContain('request_protocol="grpc",response_code="200",response_flags="-",connection_security_policy="mutual_tls"} 1');
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{le="5",[^}]*\} 1/);
    expect(text).toMatch(/istio_response_bytes_bucket\{le="1000",[^}]*\} 0/);
    expect(text).toMatch(/istio_response_bytes_bucket\{le="10000",[^}]*\} 1/);
  });

  it('does not take a workload at the address as the source when its identity is not the verified one', async () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(upsert(['client', workloadAddress('client', { ip: '127.0.10.9', sa: 'curl', name: 'curl' })]));
    const registry = new Registry();
    new RequestMetrics({ registry, state: state.view, network: '', reporter: 'waypoint' }).completed({ status: 503, responseFlags: 'UH', durationMs: 1, requestBytes: 0, responseBytes: 0, context: { routeTable: 't', scheme: 'http', source: { identity: 'spiffe://cluster.local/ns/evil/sa/x', ip: '127.0.10.9' } } } as never);
    expect(await registry.metrics()).toContain('source_workload="unknown",source_canonical_service="unknown",source_canonical_revision="unknown",source_workload_namespace="evil"');
  });

  it('reports a gateway as the source of its requests (reporter="source"), whoever the client was', async () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(upsert(['gw', workloadAddress('gw', { ns: 'istio-system', ip: '127.0.10.7', sa: 'istio-ingressgateway', name: 'istio-ingressgateway' })]));
    const registry = new Registry();
    const self = () => state.view.workloads.byUid('gw');
    new RequestMetrics({ registry, state: state.view, network: '', reporter: 'source', self }).completed({ status: 200, responseFlags: '-', durationMs: 1, requestBytes: 0, responseBytes: 0, context: { routeTable: 't', scheme: 'https', source: { ip: '192.0.2.1' } } } as never);
    const line = (await registry.metrics()).split('\n').find((l) => l.startsWith('istio_requests_total{'));
    expect(line).toContain('reporter="source",source_workload="istio-ingressgateway"');
    expect(line).toContain('source_principal="spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway"');
    expect(line).toContain('connection_security_policy="unknown"');
  });

  it('relabels after a mesh change: a workload renamed between two requests is reported under its new name', async () => {
    const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
    state.applyAddresses(upsert(['r1', workloadAddress('r1', { ip: '127.0.10.1', sa: 'reviews', name: 'reviews-v1' })]));
    const registry = new Registry();
    const metrics = new RequestMetrics({ registry, state: state.view, network: '', reporter: 'waypoint' });
    const request = {
      endpoint: { uid: 'r1', ip: '127.0.10.1', port: 8080, identity: 'spiffe://cluster.local/ns/demo/sa/reviews', healthy: true },
      status: 200,
      responseFlags: '-',
      durationMs: 1,
      requestBytes: 0,
      responseBytes: 0,
      context: { routeTable: 't', scheme: 'http', source: { identity: 'spiffe://cluster.local/ns/web/sa/curl', ip: '127.0.10.9' } },
    } as never;
    metrics.completed(request);
    metrics.completed(request);
    state.applyAddresses(upsert(['r1', workloadAddress('r1', { ip: '127.0.10.1', sa: 'reviews', name: 'reviews-v2' })]));
    metrics.completed(request);
    const lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('istio_requests_total{'));
    expect(lines.find((l) => l.includes('destination_workload="reviews-v1"'))).toMatch(/ 2$/);
    expect(lines.find((l) => l.includes('destination_workload="reviews-v2"'))).toMatch(/ 1$/);
  });
});
