import { describe, expect, it } from 'vitest';
import { parseConfig, type DestinationRuleResource, type VirtualServiceResource } from '../../../index.js';

function load(text: string) {
  const result = parseConfig([{ name: 'test.yaml', text }]);
  expect(result.issues).toEqual([]);
  return result.resources;
}

describe('normalised VirtualService and DestinationRule output', () => {
  it('keeps field names and shapes and turns durations into milliseconds', () => {
    const [vs] = load(`
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - timeout: 1.5s
    retries: { attempts: 2, perTryTimeout: 250ms, backoff: 1m }
    fault: { delay: { fixedDelay: 2s, percentage: { value: 10 } } }
    corsPolicy: { allowOrigins: [{ exact: "https://a.example" }], maxAge: 1h }
    route:
    - destination: { host: reviews, subset: v1, port: { number: 9080 } }
      weight: 3
`) as [VirtualServiceResource];
    expect(vs.kind).toBe('VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1beta1');
    const route = vs.spec.http?.[0];
    expect(route?.timeout).toBe(1500);
    expect(route?.retries).toEqual({ attempts: 2, perTryTimeout: 250, backoff: 60_000 });
    expect(route?.fault?.delay?.fixedDelay).toBe(2000);
    expect(route?.corsPolicy?.maxAge).toBe(3_600_000);
    expect(route?.route?.[0]).toEqual({ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 3 });
  });

  it('normalises DestinationRule durations, including a zero idle timeout and cookie TTL', () => {
    const [dr] = load(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: { connectTimeout: 30ms, idleTimeout: 0s, tcpKeepalive: { time: 2h } }
    outlierDetection: { interval: 10s, baseEjectionTime: 1m, consecutive5xxErrors: 5 }
    loadBalancer:
      consistentHash: { httpCookie: { name: user, ttl: 0s } }
`) as [DestinationRuleResource];
    const policy = dr.spec.trafficPolicy;
    expect(policy?.connectionPool?.tcp).toEqual({ connectTimeout: 30, idleTimeout: 0, tcpKeepalive: { time: 7_200_000 } });
    expect(policy?.outlierDetection).toEqual({ interval: 10_000, baseEjectionTime: 60_000, consecutive5xxErrors: 5 });
    expect(policy?.loadBalancer?.consistentHash?.httpCookie).toEqual({ name: 'user', ttl: 0 });
    expect(dr.metadata.namespace).toBe('default');
  });

  it('loads a route that only has warnings, folding mirror_percent into mirrorPercent', () => {
    const body = 'x'.repeat(200 * 1024);
    const result = parseConfig([
      {
        name: 'test.yaml',
        text: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mirror, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /big } }]
    directResponse: { status: 200, body: { string: ${body} } }
  - route: [{ destination: { host: reviews } }]
    mirror: { host: reviews-shadow }
    mirror_percent: 5
`,
      },
    ]);
    expect(result.issues.map((i) => `${i.severity} ${i.path}: ${i.message}`)).toEqual([
      'warning spec.http[0].directResponse.body.string: direct response body is 204800 bytes: large direct responses may impact control plane performance',
      'warning spec.http[1].mirror_percent: using deprecated setting "mirror_percent", use "mirrorPercentage" instead',
    ]);
    const [vs] = result.resources as [VirtualServiceResource];
    expect(vs.spec.http?.[1]?.mirrorPercent).toBe(5);
    expect(vs.spec.http?.[1]).not.toHaveProperty('mirror_percent');
  });
});
