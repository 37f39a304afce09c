import { describe, expect, it } from 'vitest';
import { connectionPool, loadBalancer, mergeTrafficPolicy, outlierDetection, type TrafficPolicy } from './traffic-policy.js';
import { l7V1 } from '@ambit/xds';

const top: TrafficPolicy = {
  loadBalancer: { simple: 'ROUND_ROBIN' },
  connectionPool: { tcp: { maxConnections: 10 } },
  portLevelSettings: [{ port: { number: 9000 }, outlierDetection: { consecutive5xxErrors: 1 } }],
};

describe('DestinationRule traffic policy merge', () => {
  it('takes the top-level policy for a port without port-level settings', () => {
    expect(mergeTrafficPolicy(top, undefined, 80)).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: { tcp: { maxConnections: 10 } }, outlierDetection: undefined, tls: undefined });
  });

  it('replaces every setting with a port-level entry, which does not inherit', () => {
    expect(mergeTrafficPolicy(top, undefined, 9000)).toEqual({ loadBalancer: undefined, connectionPool: undefined, outlierDetection: { consecutive5xxErrors: 1 }, tls: undefined });
  });

  it('overrides setting by setting with a subset, then wholesale with its port-level entry', () => {
    const subset: TrafficPolicy = { loadBalancer: { simple: 'RANDOM' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] };
    expect(mergeTrafficPolicy(top, subset, 80)).toMatchObject({ loadBalancer: { simple: 'RANDOM' }, connectionPool: { tcp: { maxConnections: 10 } } });
    expect(mergeTrafficPolicy(top, subset, 443)).toEqual({ loadBalancer: undefined, connectionPool: undefined, outlierDetection: undefined, tls: { mode: 'SIMPLE' } });
  });

  it('fills in Istio defaults: LEAST_REQUEST (LEAST_CONN is its alias), unlimited pools, no outlier detection', () => {
    expect(loadBalancer(undefined)).toEqual({ algorithm: l7V1.LoadBalancer_Algorithm.LEAST_REQUEST });
    expect(loadBalancer({ simple: 'LEAST_CONN' })).toEqual({ algorithm: l7V1.LoadBalancer_Algorithm.LEAST_REQUEST });
    expect(connectionPool(undefined)).toMatchObject({ maxConnections: 4_294_967_295, connectTimeoutMs: 10_000, idleTimeoutMs: 3_600_000 });
    expect(outlierDetection(undefined)).toBeUndefined();
    expect(outlierDetection({ consecutiveGatewayErrors: 2 })).toEqual({
      consecutiveServerErrors: 5,
      consecutiveGatewayErrors: 2,
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionPercent: 10,
      minHealthPercent: 0,
    });
  });
});
