import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeStandIn, type KubeObject, type KubeStandInOptions } from '@ambit/kube-stand-in';
import { tempDir } from '../../__support__/recorder.js';

/** A stand-in API server and a kubeconfig file that reaches it. */
export interface TestCluster {
  readonly standIn: KubeStandIn;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export async function startCluster(options: KubeStandInOptions = {}): Promise<TestCluster> {
  const standIn = await KubeStandIn.start(options);
  const dir = await tempDir('kube');
  const kubeconfig = join(dir.path, 'config');
  await writeFile(kubeconfig, standIn.kubeconfig());
  return {
    standIn,
    kubeconfig,
    close: async () => {
      await standIn.close();
      await dir.remove();
    },
  };
}

/** Provider timings for tests: short pauses, so that retries and batches come quickly. */
export const FAST = Object.freeze({ debounceMs: 10, maxDelayMs: 50, retryInitialMs: 20, retryMaxMs: 200, syncTimeoutMs: 5_000 });

/** Resolves with the first defined result of `probe`, asked again every 20 ms; fails with `what` after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const namespace = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

export function pod(name: string, ip: string, namespaceName = 'demo'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespaceName, labels: { app: 'web' } },
    spec: { nodeName: 'node-a', serviceAccountName: 'web', containers: [{ name: 'web', image: 'web:1' }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export function peerAuthentication(name: string, mode: string): KubeObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: 'demo' }, spec: { mtls: { mode } } };
}

/** One valid object of every watched kind. */
export function oneOfEach(): KubeObject[] {
  const ns = { namespace: 'demo' };
  return [
    namespace('demo', { 'istio.io/dataplane-mode': 'ambient' }),
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...ns }, spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    pod('web-a', '10.0.0.1'),
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', ...ns, labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', ...ns }, type: 'Opaque', data: { key: 'dmFsdWU=' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', ...ns } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', ...ns }, spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }] }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', ...ns }, spec: { host: 'web' } },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'ingress', ...ns }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'external', ...ns }, spec: { hosts: ['example.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: 'DNS' } },
    { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm', ...ns }, spec: { address: '10.1.0.1', labels: { app: 'web' } } },
    { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', ...ns }, spec: { egress: [{ hosts: ['./*'] }] } },
    peerAuthentication('strict', 'STRICT'),
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow', ...ns }, spec: { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['demo'] } }] }] } },
    { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', ...ns }, spec: { jwtRules: [{ issuer: 'https://issuer.example.com' }] } },
    { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh', ...ns }, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', ...ns }, spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] } },
  ];
}
