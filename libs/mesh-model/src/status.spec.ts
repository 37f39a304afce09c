import type { PeerAuthenticationResource, Resource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { MeshModel } from './mesh-model.js';
import { idOf } from './resource-id.js';
import type { ResourceStatus } from './status.js';

const MESH = yamlResources(`
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {istio.io/use-waypoint: gone}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: wp, namespace: a}
spec:
  gatewayClassName: istio-waypoint
  listeners: [{name: mesh, port: 15008, protocol: HBONE}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: out, namespace: a, labels: {istio.io/dataplane-mode: none, istio.io/use-waypoint: typo}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: host, namespace: a}
spec: {hostNetwork: true, containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 192.168.0.1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: a}
spec: {selector: {app: nothing}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: shadow, namespace: a}
spec: {hosts: [web.a.svc.cluster.local], ports: [{number: 80, name: http}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: web-get, namespace: a}
spec:
  selector: {matchLabels: {app: web}}
  rules: [{to: [{operation: {methods: [GET], ports: ["80"]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-paths, namespace: a}
spec:
  action: DENY
  rules: [{to: [{operation: {paths: [/admin]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: for-waypoint, namespace: a}
spec:
  targetRefs: [{kind: Service, group: "", name: web}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext, namespace: a}
spec:
  action: CUSTOM
  provider: {name: opa}
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: a-default, namespace: a}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: b-second, namespace: a}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: gateways, namespace: istio-system}
spec: {selector: {matchLabels: {istio: ingressgateway}}, mtls: {mode: PERMISSIVE}}
`);

const model = new MeshModel();
model.apply({ upserted: MESH });

function status(kind: string, namespace: string, name: string): ResourceStatus {
  const resource = MESH.find((r) => r.kind === kind && r.metadata.namespace === namespace && r.metadata.name === name);
  if (resource === undefined) throw new Error(`no ${kind} ${namespace}/${name} in the test mesh`);
  return model.status(idOf(resource))!;
}

const reasons = (s: ResourceStatus): string[] => s.notes.map((n) => n.reason);

describe('resource status facts', () => {
  it('says what a Service applies to, or that it selects nothing', () => {
    expect(status('Service', 'a', 'web')).toMatchObject({
      appliedTo: [
        { kind: 'service', key: 'a/web.a.svc.cluster.local' },
        { kind: 'workload', uid: 'Kubernetes//Pod/a/web' },
      ],
      notes: [],
    });
    expect(reasons(status('Service', 'a', 'empty'))).toEqual(['SelectsNothing']);
  });

  it('reports a ServiceEntry host that a Service already owns', () => {
    expect(status('ServiceEntry', 'a', 'shadow')).toMatchObject({ appliedTo: [], notes: [{ reason: 'Conflict', message: expect.stringMatching(/already defined by Service a\/web/) as string }] });
  });

  it('explains pods that are not captured or are no workload, and their own waypoint problems', () => {
    expect(status('Pod', 'a', 'out').notes).toEqual([
      { code: 'AMB0208', severity: 'info', reason: 'NotCaptured', message: 'pod opts out with istio.io/dataplane-mode=none' },
      { code: 'AMB0111', severity: 'error', reason: 'WaypointNotFound', message: 'waypoint a/typo does not exist', path: 'metadata.labels' },
    ]);
    expect(status('Pod', 'a', 'host')).toMatchObject({ appliedTo: [], notes: [{ reason: 'NoWorkload' }] });
    // The namespace waypoint is for services; a pod not using it is no problem of the pod.
    expect(status('Pod', 'a', 'web').notes).toEqual([]);
  });

  it('reports a namespace waypoint that does not exist', () => {
    expect(status('Namespace', '', 'b').notes).toEqual([{ code: 'AMB0111', severity: 'error', reason: 'WaypointNotFound', message: 'waypoint b/gone does not exist', path: 'metadata.labels' }]);
    expect(status('Namespace', '', 'a').notes).toEqual([]);
  });

  it('lists what uses a waypoint', () => {
    expect(status('Gateway', 'a', 'wp').appliedTo).toEqual([
      { kind: 'service', key: 'a/empty.a.svc.cluster.local' },
      { kind: 'service', key: 'a/web.a.svc.cluster.local' },
    ]);
  });

  it('says why an AuthorizationPolicy is not, or only partly, enforced by ztunnel', () => {
    expect(status('AuthorizationPolicy', 'a', 'web-get')).toEqual({
      id: expect.anything() as unknown,
      appliedTo: [
        { kind: 'authorization', key: 'a/web-get' },
        { kind: 'workload', uid: 'Kubernetes//Pod/a/web' },
      ],
      notes: [
        {
          code: 'AMB0205',
          severity: 'warning',
          reason: 'HttpAttributesAtL4',
          path: 'spec.rules',
          hint: 'attach the policy to a waypoint with targetRefs to enforce the HTTP rules',
          message:
            'ztunnel does not support HTTP attributes (found: methods). In ambient mode you must use a waypoint proxy to enforce HTTP rules. Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.',
        },
      ],
    });
    expect(status('AuthorizationPolicy', 'a', 'deny-paths').notes[0]?.message).toMatch(/DENY policy with HTTP attributes is enforced without the HTTP rules/);
    // Attached to a service that its namespace's waypoint serves: enforced there, nothing to report.
    expect(status('AuthorizationPolicy', 'a', 'for-waypoint')).toMatchObject({ appliedTo: [{ kind: 'service', key: 'a/web.a.svc.cluster.local' }], notes: [] });
    expect(reasons(status('AuthorizationPolicy', 'a', 'ext'))).toEqual(['Unsupported']);
  });

  it('reports PeerAuthentications that are superseded or ignored', () => {
    expect(status('PeerAuthentication', 'a', 'a-default').appliedTo).toHaveLength(2);
    expect(reasons(status('PeerAuthentication', 'a', 'b-second'))).toEqual(['Superseded']);
    expect(reasons(status('PeerAuthentication', 'istio-system', 'gateways'))).toEqual(['Ignored']);
  });

  it('reports portLevelMtls without selector, which ambient ignores', () => {
    // config-model refuses this, but a provider may hand it over anyway.
    const [pa] = yamlResources('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ports, namespace: c}\nspec: {selector: {matchLabels: {a: b}}, portLevelMtls: {"80": {mode: DISABLE}}}\n') as [PeerAuthenticationResource];
    const unselected: Resource = { ...pa, spec: { ...pa.spec, selector: undefined } };
    const m = new MeshModel();
    m.apply({ upserted: [unselected] });
    expect(m.status(idOf(unselected))?.notes.map((n) => n.reason)).toEqual(['Ignored']);
  });

  it('knows nothing of resources it does not hold', () => {
    expect(model.status({ group: '', kind: 'Pod', namespace: 'a', name: 'nope' })).toBeUndefined();
  });
});
