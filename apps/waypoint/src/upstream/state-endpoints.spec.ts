import { describe, expect, it } from 'vitest';
import { cluster, serviceAddress, upsert, workloadAddress } from '../state/__support__/resources.js';
import { MeshState } from '../state/index.js';
import { StateEndpoints } from './state-endpoints.js';

const REVIEWS = 'demo/reviews.demo.svc.cluster.local';

describe('StateEndpoints', () => {
  const state = new MeshState();
  state.applyAddresses(
    upsert(
      [REVIEWS, serviceAddress('demo', 'reviews', '10.96.0.5', [[9080, 8080]])],
      ['v1', workloadAddress('v1', { ip: '127.0.10.1', sa: 'reviews', services: { [REVIEWS]: [[9080, 0]] } })],
      ['v2', workloadAddress('v2', { ip: '127.0.10.2', healthy: false, services: { [REVIEWS]: [[9080, 8082]] } })],
      ['other-port', workloadAddress('other-port', { ip: '127.0.10.3', services: { [REVIEWS]: [[9090, 9090]] } })],
      ['no-ip', workloadAddress('no-ip', { services: { [REVIEWS]: [[9080, 8080]] } })],
    ),
  );
  const resolver = new StateEndpoints(state.view);

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
