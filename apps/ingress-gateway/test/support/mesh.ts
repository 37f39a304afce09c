import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podYaml } from '@ambit/test-support';

/**
 * The gateway test mesh: the ingress gateway pod (istio-system, service account
 * istio-ingressgateway, label istio: ingressgateway) on node-a; namespace demo (ambient)
 * with service plusone (VIP 10.96.8.8:80 → 8080) and its pod on node-b; an Istio Gateway
 * selecting the gateway with HTTP, redirecting, HTTPS SIMPLE, MUTUAL and a server whose
 * credential does not exist; a VirtualService for plusone.example.com bound to it.
 */
export const GATEWAY_IP = '127.80.0.5';
export const GATEWAY_UID = 'Kubernetes//Pod/istio-system/ingressgateway-0';
export const GATEWAY_IDENTITY = 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway';
export const PLUSONE_IP = '127.80.0.20';
export const PLUSONE_IDENTITY = 'spiffe://cluster.local/ns/demo/sa/plusone';
export const PLUSONE_HOST = 'plusone.example.com';
/** With --low-port-offset=8000: where the Gateway's ports 80 and 81 are served. */
export const HTTP_PORT = 8080;
export const REDIRECT_PORT = 8081;
export const HTTPS_PORT = 8443;
export const MUTUAL_PORT = 9443;
export const MISSING_CREDENTIAL_PORT = 9444;

const pod = (name: string, namespace: string, ip: string, node: string, serviceAccount: string, labels: Record<string, string>): string => podYaml(namespace, name, ip, labels, { node, serviceAccount });
/** A `kind: Secret` of type kubernetes.io/tls, as the gateway reads it from the config directory. */
export function tlsSecret(name: string, pair: { certificate: string; privateKey: string }, ca?: string): string {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: ${b64(pair.certificate)}
  tls.key: ${b64(pair.privateKey)}
${ca === undefined ? '' : `  ca.crt: ${b64(ca)}\n`}`;
}

/** A self-signed P-256 certificate for `host` (openssl), PEM. */
export function selfSigned(host: string): { certificate: string; privateKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ambit-gw-cert-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`], { stdio: 'ignore' });
    return { certificate: readFileSync(cert, 'utf8'), privateKey: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function meshFiles(credentials: { simple: { certificate: string; privateKey: string }; mutual: { certificate: string; privateKey: string } }): Record<string, string> {
  return {
    'namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    istio.io/dataplane-mode: ambient
---
apiVersion: v1
kind: Namespace
metadata:
  name: istio-system
`,
    'gateway-pod.yaml': pod('ingressgateway-0', 'istio-system', GATEWAY_IP, 'node-a', 'istio-ingressgateway', { istio: 'ingressgateway' }),
    'gateway.yaml': `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ingress
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 81, name: http-redirect, protocol: HTTP}
    hosts: ["*"]
    tls: {httpsRedirect: true}
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, credentialName: gw-cert}
  - port: {number: 9443, name: mtls, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: MUTUAL, credentialName: gw-mtls}
  - port: {number: 9444, name: missing, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, credentialName: no-such-secret}
`,
    'virtual-service.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: plusone
  namespace: demo
spec:
  hosts: [${PLUSONE_HOST}]
  gateways: [istio-system/ingress]
  http:
  - match:
    - uri: {prefix: /plusone}
    route:
    - destination: {host: plusone.demo.svc.cluster.local, port: {number: 80}}
`,
    'plusone.yaml': `apiVersion: v1
kind: Service
metadata:
  name: plusone
  namespace: demo
spec:
  clusterIP: 10.96.8.8
  selector:
    app: plusone
  ports:
  - name: http
    port: 80
    targetPort: 8080
`,
    'plusone-pod.yaml': pod('plusone-v1', 'demo', PLUSONE_IP, 'node-b', 'plusone', { app: 'plusone', version: 'v1' }),
    'secret-gw-cert.yaml': tlsSecret('gw-cert', credentials.simple),
    'secret-gw-mtls.yaml': tlsSecret('gw-mtls', credentials.mutual, credentials.mutual.certificate),
  };
}
