import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { MeshModel } from '../mesh-model.js';
import { idOf } from '../resource-id.js';
import type { ResourceStatus } from '../status.js';

/**
 * A small ambient mesh that resolves cleanly: namespace `shop` (ambient, waypoint
 * `wp`) with reviews v1/v2 behind a Service, namespace `plain` (ambient, no waypoint)
 * with `web`, an ingress gateway pod in istio-system with its TLS Secret, and an
 * external host declared by a ServiceEntry. Each test adds the resource under study.
 */
const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: wp, namespace: shop}
spec:
  gatewayClassName: istio-waypoint
  listeners: [{name: mesh, port: 15008, protocol: HBONE}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-v1, namespace: shop, labels: {app: reviews, version: v1}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-v2, namespace: shop, labels: {app: reviews, version: v2}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.2}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: plain}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: plain, labels: {app: web}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.1.1}
---
apiVersion: v1
kind: Service
metadata: {name: private, namespace: plain, annotations: {networking.istio.io/exportTo: "."}}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ingress, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.2.1}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: istio-system}
stringData: {tls.crt: cert, tls.key: key}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: shop}
spec:
  hosts: ["*.payments.example.com"]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: NONE
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
`;

/** The status of `Kind namespace/name` in BASE plus `extra`. */
function statusOf(extra: string, kind: string, namespace: string, name: string): ResourceStatus {
  const resources = yamlResources(`${BASE}---\n${extra}`);
  const model = new MeshModel();
  model.apply({ upserted: resources });
  const resource = resources.find((r) => r.kind === kind && r.metadata.namespace === namespace && r.metadata.name === name);
  if (resource === undefined) throw new Error(`no ${kind} ${namespace}/${name}`);
  const status = model.status(idOf(resource));
  if (status === undefined) throw new Error(`no status for ${kind} ${namespace}/${name}`);
  return status;
}

/** `CODE path` of each finding. */
const codes = (s: ResourceStatus): string[] => s.notes.map((n) => `${n.code} ${n.path ?? ''}`.trim());

const vs = (spec: string, namespace = 'shop', name = 'vs'): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
`;

const dr = (spec: string, namespace = 'shop', name = 'dr'): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
`;

const SUBSETS = dr('  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]', 'shop', 'reviews');

describe('VirtualService', () => {
  it('resolves short names, FQDNs and wildcard ServiceEntry hosts: no finding, applied to the services', () => {
    const s = statusOf(
      `${SUBSETS}---\n${vs(`  hosts: [reviews, reviews.shop.svc.cluster.local]
  http:
  - route:
    - {destination: {host: reviews, subset: v1, port: {number: 9080}}, weight: 90}
    - {destination: {host: reviews.shop.svc.cluster.local, subset: v2}, weight: 10}
    mirror: {host: api.payments.example.com}
  tls:
  - match: [{sniHosts: [reviews]}]
    route: [{destination: {host: api.payments.example.com, port: {number: 443}}}]`)}`,
      'VirtualService',
      'shop',
      'vs',
    );
    expect(s.notes).toEqual([]);
    expect(s.appliedTo).toEqual([{ kind: 'service', key: 'shop/reviews.shop.svc.cluster.local' }]);
  });

  it('reports a mesh host that matches no service (AMB0101), and not one of a gateway-only VirtualService', () => {
    expect(codes(statusOf(vs('  hosts: [ratings]\n  http: [{route: [{destination: {host: reviews}}]}]'), 'VirtualService', 'shop', 'vs'))).toEqual(['AMB0101 spec.hosts[0]']);
    // A short name is the VirtualService's namespace: `web` is plain/web, not visible as shop's.
    expect(codes(statusOf(vs('  hosts: [web]\n  http: [{route: [{destination: {host: web.plain.svc.cluster.local}}]}]'), 'VirtualService', 'shop', 'vs'))).toEqual(['AMB0101 spec.hosts[0]']);
    const gatewayOnly = vs('  hosts: [shop.example.com]\n  gateways: [istio-system/public]\n  http: [{route: [{destination: {host: reviews}}]}]');
    expect(statusOf(gatewayOnly, 'VirtualService', 'shop', 'vs')).toMatchObject({ notes: [], appliedTo: [{ kind: 'gateway', key: 'istio-system/public' }] });
  });

  it('honours exportTo: a Service exported to its own namespace is not visible from another', () => {
    const route = '  http: [{route: [{destination: {host: private.plain.svc.cluster.local}}]}]';
    expect(codes(statusOf(vs(`  hosts: [web.plain.svc.cluster.local]\n${route}`, 'shop'), 'VirtualService', 'shop', 'vs'))).toContain('AMB0102 spec.http[0].route[0].destination.host');
    expect(codes(statusOf(vs(`  hosts: [web]\n${route}`, 'plain'), 'VirtualService', 'plain', 'vs'))).not.toContain('AMB0102 spec.http[0].route[0].destination.host');
  });

  it('reports destination hosts, ports and subsets that resolve to nothing (AMB0102, AMB0104, AMB0103)', () => {
    const s = statusOf(
      `${SUBSETS}---\n${vs(`  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviewz}, weight: 50}
    - {destination: {host: reviews, port: {number: 9081}}, weight: 25}
    - {destination: {host: reviews, subset: v3}, weight: 25}
    mirrors: [{destination: {host: shadow.shop.svc.cluster.local}}]
  tcp:
  - route: [{destination: {host: cache}}]`)}`,
      'VirtualService',
      'shop',
      'vs',
    );
    expect(codes(s)).toEqual([
      'AMB0102 spec.http[0].route[0].destination.host',
      'AMB0104 spec.http[0].route[1].destination.port.number',
      'AMB0103 spec.http[0].route[2].destination.subset',
      'AMB0102 spec.http[0].mirrors[0].destination.host',
      'AMB0102 spec.tcp[0].route[0].destination.host',
    ]);
    expect(s.notes[2]).toMatchObject({ severity: 'error', message: 'subset "v3" of reviews.shop.svc.cluster.local is defined by no DestinationRule', hint: 'defined subsets: v1, v2' });
    expect(s.notes[1]?.hint).toBe('its ports: 9080');
  });

  it('reports Gateways that do not exist (AMB0105): a short name is in the VirtualService namespace; mesh is special', () => {
    const s = statusOf(vs('  hosts: [reviews]\n  gateways: [mesh, public, istio-system/public, istio-system/private]\n  http: [{route: [{destination: {host: reviews}}]}]'), 'VirtualService', 'shop', 'vs');
    expect(codes(s)).toEqual(['AMB0105 spec.gateways[1]', 'AMB0105 spec.gateways[3]']);
    expect(s.notes[0]?.hint).toMatch(/looked up in shop/);
  });

  it('reports mesh routing for a service without a waypoint (AMB0201)', () => {
    const s = statusOf(vs('  hosts: [web]\n  http: [{route: [{destination: {host: web}}], retries: {attempts: 3}}]', 'plain'), 'VirtualService', 'plain', 'vs');
    expect(codes(s)).toEqual(['AMB0201 spec.hosts']);
    expect(s.notes[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^web\.plain\.svc\.cluster\.local uses no waypoint/) as string });
  });

  it('reports two mesh VirtualServices for one host (AMB0305), on both, unless their exportTo scopes are apart', () => {
    const two = `${vs('  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]', 'shop', 'a')}---\n${vs('  hosts: [reviews.shop.svc.cluster.local]\n  http: [{route: [{destination: {host: reviews}}]}]', 'shop', 'b')}`;
    expect(codes(statusOf(two, 'VirtualService', 'shop', 'a'))).toEqual(['AMB0305 spec.hosts[0]']);
    expect(statusOf(two, 'VirtualService', 'shop', 'b').notes[0]?.message).toMatch(/also routed for the mesh by VirtualService shop\/a/);
    const apart = `${vs('  hosts: [web.plain.svc.cluster.local]\n  exportTo: ["."]\n  http: [{route: [{destination: {host: web.plain.svc.cluster.local}}]}]', 'shop', 'a')}---\n${vs('  hosts: [web]\n  exportTo: ["."]\n  http: [{route: [{destination: {host: web}}]}]', 'plain', 'b')}`;
    expect(codes(statusOf(apart, 'VirtualService', 'plain', 'b'))).toEqual(['AMB0201 spec.hosts']);
  });
});

describe('DestinationRule', () => {
  it('applies to its service, with subsets that select workloads: no finding', () => {
    expect(statusOf(SUBSETS, 'DestinationRule', 'shop', 'reviews')).toEqual({
      id: expect.anything() as unknown,
      appliedTo: [{ kind: 'service', key: 'shop/reviews.shop.svc.cluster.local' }],
      notes: [],
    });
    expect(statusOf(dr('  host: "*.payments.example.com"\n  trafficPolicy: {tls: {mode: SIMPLE}}'), 'DestinationRule', 'shop', 'dr').notes).toEqual([]);
  });

  it('reports a host that matches no service (AMB0106) and a subset that selects nothing (AMB0107)', () => {
    expect(codes(statusOf(dr('  host: reviewz'), 'DestinationRule', 'shop', 'dr'))).toEqual(['AMB0106 spec.host']);
    const s = statusOf(dr('  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}, {name: v4, labels: {version: v4}}]'), 'DestinationRule', 'shop', 'dr');
    expect(codes(s)).toEqual(['AMB0107 spec.subsets[1].labels']);
    expect(s.notes[0]?.message).toMatch(/^subset "v4" \(version=v4\) matches no workload of reviews\.shop\.svc\.cluster\.local/);
  });

  it('does not judge subsets of a service whose workloads config cannot show', () => {
    expect(statusOf(dr('  host: "*.payments.example.com"\n  subsets: [{name: eu, labels: {region: eu}}]'), 'DestinationRule', 'shop', 'dr').notes).toEqual([]);
  });

  it('reports a DestinationRule for a service without a waypoint (AMB0202), not one with a workloadSelector', () => {
    expect(codes(statusOf(dr('  host: web\n  trafficPolicy: {loadBalancer: {simple: RANDOM}}', 'plain'), 'DestinationRule', 'plain', 'dr'))).toEqual(['AMB0202 spec.host']);
    const selected = dr('  host: web\n  workloadSelector: {matchLabels: {app: web}}\n  trafficPolicy: {loadBalancer: {simple: RANDOM}}', 'plain');
    expect(statusOf(selected, 'DestinationRule', 'plain', 'dr').notes).toEqual([]);
  });

  it('reports what merging drops from a second rule for one host (AMB0304)', () => {
    const second = dr('  host: reviews.shop.svc.cluster.local\n  trafficPolicy: {loadBalancer: {simple: RANDOM}}\n  subsets: [{name: v2, labels: {version: v2}}, {name: v1b, labels: {version: v1}}]', 'shop', 'second');
    const s = statusOf(`${SUBSETS}---\n${second}`, 'DestinationRule', 'shop', 'second');
    expect(codes(s)).toEqual(['AMB0304 spec.trafficPolicy', 'AMB0304 spec.subsets[0].name']);
    expect(statusOf(`${SUBSETS}---\n${second}`, 'DestinationRule', 'shop', 'reviews').notes).toEqual([]);
  });
});

describe('Gateway (networking.istio.io)', () => {
  const gateway = (selector: string, credential: string): string => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {${selector}}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, credentialName: ${credential}}
`;

  it('selects gateway pods in any namespace and finds the Secret in their namespace: no finding', () => {
    expect(statusOf(gateway('istio: ingressgateway', 'shop-cert'), 'Gateway', 'shop', 'gw')).toEqual({
      id: expect.anything() as unknown,
      appliedTo: [{ kind: 'workload', uid: 'Kubernetes//Pod/istio-system/ingress' }],
      notes: [],
    });
  });

  it('reports a selector that matches no workload (AMB0109) and a Secret that does not exist (AMB0110)', () => {
    expect(codes(statusOf(gateway('istio: ingress', 'shop-cert'), 'Gateway', 'shop', 'gw'))).toEqual(['AMB0109 spec.selector', 'AMB0110 spec.servers[0].tls.credentialName']);
    const s = statusOf(gateway('istio: ingressgateway', 'other-cert'), 'Gateway', 'shop', 'gw');
    expect(codes(s)).toEqual(['AMB0110 spec.servers[0].tls.credentialName']);
    expect(s.notes[0]?.message).toMatch(/^Secret other-cert not found in namespace istio-system/);
  });
});

describe('policies attached with targetRefs or selectors', () => {
  const policy = (kind: 'AuthorizationPolicy' | 'RequestAuthentication' | 'Telemetry', namespace: string, body: string): string => {
    const group = kind === 'Telemetry' ? 'telemetry.istio.io' : 'security.istio.io';
    return `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata: {name: p, namespace: ${namespace}}\nspec:\n${body}\n`;
  };
  const toService = (name: string): string => `  targetRefs: [{kind: Service, group: "", name: ${name}}]`;

  it('applies an AuthorizationPolicy to a service its waypoint serves, and reports one without waypoint (AMB0203) or target (AMB0112)', () => {
    expect(statusOf(policy('AuthorizationPolicy', 'shop', `${toService('reviews')}\n  rules: [{to: [{operation: {methods: [GET]}}]}]`), 'AuthorizationPolicy', 'shop', 'p')).toMatchObject({
      appliedTo: [{ kind: 'service', key: 'shop/reviews.shop.svc.cluster.local' }],
      notes: [],
    });
    const s = statusOf(policy('AuthorizationPolicy', 'plain', `${toService('web')}\n  rules: [{to: [{operation: {methods: [GET]}}]}]`), 'AuthorizationPolicy', 'plain', 'p');
    expect(codes(s)).toEqual(['AMB0203 spec.targetRefs[0]']);
    expect(s.notes[0]?.severity).toBe('error');
    expect(codes(statusOf(policy('AuthorizationPolicy', 'shop', toService('gone')), 'AuthorizationPolicy', 'shop', 'p'))).toEqual(['AMB0112 spec.targetRefs[0].name']);
    const gateway = '  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: wp}]';
    expect(statusOf(policy('AuthorizationPolicy', 'shop', gateway), 'AuthorizationPolicy', 'shop', 'p')).toMatchObject({ appliedTo: [{ kind: 'gateway', key: 'shop/wp' }], notes: [] });
  });

  it('reports RequestAuthentication and Telemetry that reach no proxy applying them (AMB0204) or select nothing (AMB0108)', () => {
    const jwt = '  jwtRules: [{issuer: https://issuer.example.com}]';
    expect(codes(statusOf(policy('RequestAuthentication', 'plain', `${toService('web')}\n${jwt}`), 'RequestAuthentication', 'plain', 'p'))).toEqual(['AMB0204 spec.targetRefs[0]']);
    expect(codes(statusOf(policy('RequestAuthentication', 'shop', `  selector: {matchLabels: {app: reviews}}\n${jwt}`), 'RequestAuthentication', 'shop', 'p'))).toEqual(['AMB0204 spec.selector']);
    expect(codes(statusOf(policy('Telemetry', 'shop', '  selector: {matchLabels: {app: nothing}}\n  tracing: [{randomSamplingPercentage: 1}]'), 'Telemetry', 'shop', 'p'))).toEqual(['AMB0108 spec.selector']);
  });

  it('finds nothing to report for a gateway selector, a waypoint target or a namespace-wide policy', () => {
    const jwt = '  jwtRules: [{issuer: https://issuer.example.com}]';
    expect(statusOf(policy('RequestAuthentication', 'istio-system', `  selector: {matchLabels: {istio: ingressgateway}}\n${jwt}`), 'RequestAuthentication', 'istio-system', 'p').notes).toEqual([]);
    expect(statusOf(policy('Telemetry', 'shop', `${toService('reviews')}\n  tracing: [{randomSamplingPercentage: 1}]`), 'Telemetry', 'shop', 'p').notes).toEqual([]);
    expect(statusOf(policy('Telemetry', 'istio-system', '  tracing: [{randomSamplingPercentage: 1}]'), 'Telemetry', 'istio-system', 'p')).toEqual({ id: expect.anything() as unknown, appliedTo: [], notes: [] });
  });
});

describe('Sidecar', () => {
  it('is reported as having no effect in ambient mode (AMB0401)', () => {
    const sidecar = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: shop}\nspec: {egress: [{hosts: ["./*"]}]}\n';
    expect(codes(statusOf(sidecar, 'Sidecar', 'shop', 'default'))).toEqual(['AMB0401']);
  });
});

describe('the whole base mesh', () => {
  it('has nothing to report but the facts of its plain namespace', () => {
    const resources = yamlResources(BASE);
    const model = new MeshModel();
    model.apply({ upserted: resources });
    const notes = resources.flatMap((r) => (model.status(idOf(r))?.notes ?? []).map((n) => `${r.kind} ${r.metadata.name}: ${n.code}`));
    // The ingress pod is in a namespace that is not ambient: a fact (info), not a problem.
    expect(notes).toEqual(['Pod ingress: AMB0208']);
  });

  it('forgets removed analysis resources', () => {
    const resources = yamlResources(`${BASE}---\n${SUBSETS}`);
    const model = new MeshModel();
    model.apply({ upserted: resources });
    const rule = resources.at(-1)!;
    model.apply({ removed: [idOf(rule)] });
    expect(model.status(idOf(rule))).toBeUndefined();
    expect(model.config.destinationRulesFor('reviews.shop.svc.cluster.local')).toEqual([]);
  });
});
