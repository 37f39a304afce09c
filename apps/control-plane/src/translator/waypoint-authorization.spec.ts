import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { Translator } from './translator.js';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata: { name: demo, labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint } }
`;
const WAYPOINT = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: demo }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]
`;
const service = (labels = '{}') => `apiVersion: v1
kind: Service
metadata: { name: web, namespace: demo, labels: ${labels} }
spec:
  clusterIP: 10.96.0.80
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
`;
const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web-viewer, namespace: demo }
spec:
  targetRefs: [{ kind: Service, group: "", name: web }]
  rules: [{ to: [{ operation: { methods: [GET] } }] }]
`;
const GATEWAY_POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: all, namespace: demo }
spec:
  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }]
  action: DENY
  rules: [{ to: [{ operation: { paths: [/admin] } }] }]
`;

const one = (yaml: string) => yamlResources(yaml)[0]!;
const names = (translator: Translator) => translator.snapshot().authorizations.map((a) => a.name);

describe('waypoint Authorizations, incrementally', () => {
  it('follow the targeted service: appear when it gets a waypoint, leave when it opts out', () => {
    const translator = new Translator();
    translator.apply({ upserted: [one(POLICY), one(service())] });
    expect(names(translator)).toEqual([]);
    translator.apply({ upserted: [one(NAMESPACE), one(WAYPOINT)] });
    expect(names(translator)).toEqual(['waypoint/demo/waypoint/demo/web-viewer']);
    const delta = translator.apply({ upserted: [one(service('{ istio.io/use-waypoint: none }'))] });
    expect(delta.authorizations.removed).toEqual(['waypoint/demo/waypoint/demo/web-viewer']);
    expect(names(translator)).toEqual([]);
  });

  it('follow the targeted waypoint Gateway, and leave with the policy', () => {
    const translator = new Translator();
    translator.apply({ upserted: [one(GATEWAY_POLICY)] });
    expect(names(translator)).toEqual([]);
    translator.apply({ upserted: [one(WAYPOINT)] });
    expect(names(translator)).toEqual(['waypoint/demo/waypoint/demo/all']);
    const gone = translator.apply({ removed: [{ group: 'security.istio.io', kind: 'AuthorizationPolicy', namespace: 'demo', name: 'all' }] });
    expect(gone.authorizations.removed).toEqual(['waypoint/demo/waypoint/demo/all']);
  });

  it('rebuilds only the policies a batch touches', () => {
    const translator = new Translator();
    translator.apply({ upserted: [one(NAMESPACE), one(WAYPOINT), one(service()), one(POLICY), one(GATEWAY_POLICY)] });
    const delta = translator.apply({ upserted: [one(POLICY.replace('[GET]', '[GET, POST]'))] });
    expect(delta.authorizations.upserted.map((a) => a.name)).toEqual(['waypoint/demo/waypoint/demo/web-viewer']);
    expect(delta.recomputed.authorizations).toBe(2);
  });
});
