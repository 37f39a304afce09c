import type { Resource } from '@ambit/config-model';
import { yamlResources } from '@ambit/config-model/testing';

/**
 * A small mesh in which every resource has a few variants, chosen to exercise each
 * relation the translator depends on: enrolment and waypoints through namespace
 * labels, selection through pod and service labels, named ports, ServiceEntry
 * endpoints and hostname conflicts, policies at every level. A property test applies
 * random sequences of "set slot to variant" and "remove slot" to it.
 */
export interface Slot {
  readonly name: string;
  readonly variants: readonly Resource[];
}

const meta = (kind: string, apiVersion: string, name: string, namespace: string | undefined, labels: Record<string, string> = {}): string =>
  [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(namespace === undefined ? [] : [`  namespace: ${namespace}`]),
    ...(Object.keys(labels).length === 0 ? [] : ['  labels:', ...Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`)]),
  ].join('\n');

const namespace = (name: string, labels: Record<string, string>): string => meta('Namespace', 'v1', name, undefined, labels);

const node = (name: string, zone: string | undefined): string => meta('Node', 'v1', name, undefined, zone === undefined ? {} : { 'topology.kubernetes.io/zone': zone });

interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly node?: string;
  readonly ip?: string;
  readonly ready?: boolean;
  readonly ports?: string;
  readonly sa?: string;
}

const pod = (name: string, ns: string, o: PodOptions): string =>
  `${meta('Pod', 'v1', name, ns, o.labels)}
spec:
  ${o.node === undefined ? '' : `nodeName: ${o.node}`}
  serviceAccountName: ${o.sa ?? 'default'}
  containers:
  - name: app
    image: app
    ports:
    - name: web
      containerPort: ${o.ports ?? '8080'}
status:
  phase: Running
  ${o.ip === undefined ? '' : `podIP: ${o.ip}`}
  conditions:
  - type: Ready
    status: "${o.ready === false ? 'False' : 'True'}"`;

const service = (name: string, ns: string, body: string, labels: Record<string, string> = {}): string => `${meta('Service', 'v1', name, ns, labels)}\n${body}`;

const gateway = (name: string, ns: string, labels: Record<string, string>, className = 'istio-waypoint', from = 'Same'): string =>
  `${meta('Gateway', 'gateway.networking.k8s.io/v1', name, ns, labels)}
spec:
  gatewayClassName: ${className}
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
    allowedRoutes:
      namespaces:
        from: ${from}`;

const policy = (name: string, ns: string, spec: string, annotations = ''): string =>
  `${meta('AuthorizationPolicy', 'security.istio.io/v1', name, ns)}${annotations}\nspec:\n${spec}`;

const peer = (name: string, ns: string, spec: string): string => `${meta('PeerAuthentication', 'security.istio.io/v1', name, ns)}\nspec:\n${spec}`;

function slot(name: string, ...docs: string[]): Slot {
  return { name, variants: docs.map((doc) => single(yamlResources(doc))) };
}

function single(resources: Resource[]): Resource {
  const [resource] = resources;
  if (resource === undefined || resources.length !== 1) throw new Error('each variant is one resource');
  return resource;
}

export function meshPool(): Slot[] {
  return [
    slot('ns-a', namespace('a', {}), namespace('a', { 'istio.io/dataplane-mode': 'ambient' }), namespace('a', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp1' }), namespace('a', { 'istio.io/use-waypoint': 'wp2', 'istio.io/use-waypoint-namespace': 'b', team: 'blue' })),
    slot('ns-b', namespace('b', { 'istio.io/dataplane-mode': 'ambient' }), namespace('b', { team: 'blue', 'istio.io/use-waypoint': 'wp2' })),
    slot('ns-root', namespace('istio-system', {})),
    slot('node-1', node('n1', 'z1'), node('n1', 'z2'), node('n1', undefined)),
    slot(
      'pod-1',
      pod('p1', 'a', { labels: { app: 'red' }, node: 'n1', ip: '10.0.0.1' }),
      pod('p1', 'a', { labels: { app: 'green', version: 'v2' }, node: 'n1', ip: '10.0.0.1', ports: '9090' }),
      pod('p1', 'a', { labels: { app: 'red', 'istio.io/dataplane-mode': 'none' }, ip: '10.0.0.1', ready: false }),
      pod('p1', 'a', { labels: { app: 'red' }, node: 'n1' }),
    ),
    slot(
      'pod-2',
      pod('p2', 'a', { labels: { app: 'green', 'istio.io/use-waypoint': 'wp1' }, node: 'n2', ip: '10.0.0.2', sa: 'svc-y' }),
      pod('p2', 'a', { labels: { app: 'red', 'istio.io/use-waypoint': 'none' }, node: 'n1', ip: '10.0.0.2' }),
    ),
    slot('pod-3', pod('p3', 'b', { labels: { app: 'red' }, node: 'n1', ip: '10.0.1.3' }), pod('p3', 'b', { labels: { app: 'pink', 'istio.io/dataplane-mode': 'ambient' }, ip: '10.0.1.3' })),
    slot(
      'svc-a',
      service('s1', 'a', 'spec:\n  clusterIP: 10.96.0.1\n  selector:\n    app: red\n  ports:\n  - name: http\n    port: 80\n    targetPort: web'),
      service('s1', 'a', 'spec:\n  clusterIP: None\n  selector:\n    app: green\n  ports:\n  - name: http\n    port: 80'),
      service('s1', 'a', 'spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - name: http\n    port: 80', { 'istio.io/use-waypoint': 'none' }),
      service('s1', 'a', 'spec:\n  clusterIP: 10.96.0.1\n  trafficDistribution: PreferClose\n  selector:\n    app: red\n  ports:\n  - name: http\n    port: 80', { 'istio.io/use-waypoint': 'wp2', 'istio.io/use-waypoint-namespace': 'b' }),
      service('s1', 'a', 'spec:\n  type: ExternalName\n  externalName: example.com'),
    ),
    slot('svc-b', service('s2', 'b', 'spec:\n  clusterIP: 10.96.1.1\n  selector:\n    app: red\n  ports:\n  - name: tcp\n    port: 5000')),
    slot(
      'se-a',
      `${meta('ServiceEntry', 'networking.istio.io/v1', 'se1', 'a')}\nspec:\n  hosts: [ext.example.com]\n  ports:\n  - {number: 80, name: http, protocol: HTTP, targetPort: 8000}\n  resolution: STATIC\n  workloadSelector:\n    labels:\n      app: red`,
      `${meta('ServiceEntry', 'networking.istio.io/v1', 'se1', 'a', { app: 'red' })}\nspec:\n  hosts: [ext.example.com]\n  addresses: [240.0.0.1]\n  ports:\n  - {number: 80, name: http, protocol: HTTP}\n  resolution: STATIC\n  endpoints:\n  - address: 192.168.0.1\n    ports: {http: 8081}\n  - address: 192.168.0.2\n    labels: {istio.io/use-waypoint: wp1}`,
      `${meta('ServiceEntry', 'networking.istio.io/v1', 'se1', 'a')}\nspec:\n  hosts: [api.example.com]\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n  resolution: DNS`,
      // Claims the Kubernetes Service's hostname, which the Service keeps.
      `${meta('ServiceEntry', 'networking.istio.io/v1', 'se1', 'a')}\nspec:\n  hosts: [s1.a.svc.cluster.local]\n  ports:\n  - {number: 80, name: http, protocol: HTTP}\n  resolution: STATIC\n  workloadSelector:\n    labels:\n      app: green`,
    ),
    slot(
      'we-a',
      `${meta('WorkloadEntry', 'networking.istio.io/v1', 'we1', 'a', { app: 'red' })}\nspec:\n  address: 192.168.1.1\n  ports: {web: 7070, http: 7071}`,
      `${meta('WorkloadEntry', 'networking.istio.io/v1', 'we1', 'a')}\nspec:\n  address: vm.example.com\n  labels: {app: green}\n  locality: r1/z1`,
    ),
    slot('wp-1', gateway('wp1', 'a', {}), gateway('wp1', 'a', { 'istio.io/waypoint-for': 'workload' }), gateway('wp1', 'a', { 'istio.io/waypoint-for': 'all' }), gateway('wp1', 'a', {}, 'istio')),
    slot('wp-2', gateway('wp2', 'b', { 'istio.io/waypoint-for': 'all' }, 'istio-waypoint', 'All'), gateway('wp2', 'b', {}, 'istio-waypoint', 'Same')),
    slot(
      'ap-a',
      policy('ap1', 'a', '  selector:\n    matchLabels:\n      app: red\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/a/sa/*"]'),
      policy('ap1', 'a', '  action: DENY\n  rules:\n  - to:\n    - operation:\n        ports: ["80"]\n        methods: [GET]'),
      policy('ap1', 'a', '  selector:\n    matchLabels:\n      app: green\n  rules:\n  - to:\n    - operation:\n        paths: ["/x"]'),
      policy('ap1', 'a', '  targetRefs:\n  - {kind: Service, group: "", name: s1}\n  rules:\n  - {}'),
      policy('ap1', 'a', '  selector:\n    matchLabels:\n      app: red\n  action: CUSTOM\n  provider: {name: ext}\n  rules:\n  - {}'),
    ),
    slot(
      'ap-root',
      policy('mesh', 'istio-system', '  selector:\n    matchLabels:\n      app: red\n  action: DENY\n  rules:\n  - from:\n    - source:\n        ipBlocks: ["1.2.3.4"]'),
      policy('mesh', 'istio-system', '  action: DENY\n  rules:\n  - {}', '\n  annotations:\n    istio.io/dry-run: "true"'),
      policy('mesh', 'istio-system', '  action: AUDIT\n  rules:\n  - to:\n    - operation:\n        ports: ["443"]'),
    ),
    slot('pa-root', peer('default', 'istio-system', '  mtls:\n    mode: STRICT'), peer('default', 'istio-system', '  mtls:\n    mode: PERMISSIVE')),
    slot('pa-ns', peer('default', 'a', '  mtls:\n    mode: PERMISSIVE'), peer('default', 'a', '  mtls:\n    mode: STRICT'), peer('default', 'a', '  mtls: {}')),
    slot(
      'pa-workload',
      peer('wl', 'a', '  selector:\n    matchLabels:\n      app: red\n  portLevelMtls:\n    "8080":\n      mode: PERMISSIVE'),
      peer('wl', 'a', '  selector:\n    matchLabels:\n      app: red\n  mtls:\n    mode: STRICT\n  portLevelMtls:\n    "9090":\n      mode: DISABLE'),
      peer('wl', 'a', '  selector:\n    matchLabels:\n      app: red\n  mtls:\n    mode: PERMISSIVE\n  portLevelMtls:\n    "7000":\n      mode: STRICT'),
    ),
  ];
}
