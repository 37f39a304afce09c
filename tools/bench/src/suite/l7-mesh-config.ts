import { MESH_ADDRESSES, RUNNING_POD_STATUS } from './local-mesh.js';

/**
 * The L7 section's additions to the local mesh's config, as a user would write them for
 * Istio: an ingress gateway pod (istio-system, `istio: ingressgateway`) with a TLS
 * Secret, two Istio Gateways selecting it, a waypoint (Gateway of class istio-waypoint,
 * its service account, Service and pod, as examples/bookinfo/05-waypoint.yaml), and two
 * Services over the same server pod: `origin` reached from the gateway straight over
 * HBONE to bench-b's ztunnel, `origin-wp` bound to the waypoint.
 */
export const L7_MESH = {
  namespace: 'bench',
  gatewayNamespace: 'istio-system',
  gatewayPod: 'ingressgateway',
  gatewayNode: 'bench-a',
  waypointPod: 'waypoint-0',
  credentialName: 'bench-gateway-cert',
  /** The Gateway server ports: HTTP to `origin`, HTTPS (SIMPLE) to `origin`, HTTP to `origin-wp`. */
  ports: { http: 80, https: 443, httpViaWaypoint: 81 },
} as const;

export interface TlsCredential {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The config files (name → YAML) to add to the base mesh. `originPort` is where the server pod's HTTP/1.1 origin listens. */
export function l7MeshYaml(originPort: number, credential: TlsCredential): Record<string, string> {
  const { namespace, gatewayNamespace, gatewayPod, gatewayNode, waypointPod, credentialName, ports } = L7_MESH;
  const service = (name: string, labels: string): string =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${labels}spec:\n  selector:\n    app: server\n  ports:\n  - name: http\n    port: ${originPort}\n    targetPort: ${originPort}\n    appProtocol: http\n`;
  const virtualService = (name: string, gateway: string, destination: string): string =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  hosts:\n  - "*"\n  gateways:\n  - ${gateway}\n  http:\n  - route:\n    - destination:\n        host: ${destination}.${namespace}.svc.cluster.local\n        port:\n          number: ${originPort}\n`;
  const base64 = (pem: string): string => Buffer.from(pem).toString('base64');
  const gateway = [
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${gatewayNamespace}\n`,
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${gatewayPod}\n  namespace: ${gatewayNamespace}\n`,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${gatewayPod}\n  namespace: ${gatewayNamespace}\n  labels:\n    istio: ingressgateway\n    networking.istio.io/tunnel: http\n` +
      `spec:\n  nodeName: ${gatewayNode}\n  serviceAccountName: ${gatewayPod}\n  containers:\n  - name: istio-proxy\n    image: ambit/ingress-gateway\nstatus:\n${RUNNING_POD_STATUS}  podIP: ${MESH_ADDRESSES.gateway}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${credentialName}\n  namespace: ${gatewayNamespace}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${base64(credential.certPem)}\n  tls.key: ${base64(credential.keyPem)}\n`,
    `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: bench-gateway\n  namespace: ${namespace}\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n` +
      `  - port:\n      number: ${ports.http}\n      name: http\n      protocol: HTTP\n    hosts:\n    - "*"\n` +
      `  - port:\n      number: ${ports.https}\n      name: https\n      protocol: HTTPS\n    hosts:\n    - "*"\n    tls:\n      mode: SIMPLE\n      credentialName: ${credentialName}\n`,
    `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: bench-gateway-wp\n  namespace: ${namespace}\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n` +
      `  - port:\n      number: ${ports.httpViaWaypoint}\n      name: http-wp\n      protocol: HTTP\n    hosts:\n    - "*"\n`,
    service('origin', ''),
    virtualService('origin', 'bench-gateway', 'origin'),
  ];
  const gatewayLabels = '    gateway.networking.k8s.io/gateway-name: waypoint\n';
  const waypoint = [
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: waypoint\n  namespace: ${namespace}\n  labels:\n    istio.io/waypoint-for: service\n` +
      'spec:\n  gatewayClassName: istio-waypoint\n  listeners:\n  - name: mesh\n    port: 15008\n    protocol: HBONE\n',
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: waypoint\n  namespace: ${namespace}\n  labels:\n${gatewayLabels}`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: waypoint\n  namespace: ${namespace}\n  labels:\n${gatewayLabels}    gateway.networking.k8s.io/gateway-class-name: istio-waypoint\n` +
      `spec:\n  selector:\n${gatewayLabels}  ports:\n  - name: mesh\n    port: 15008\n    targetPort: 15008\n`,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${waypointPod}\n  namespace: ${namespace}\n  labels:\n${gatewayLabels}    gateway.networking.k8s.io/gateway-class-name: istio-waypoint\n` +
      `    istio.io/dataplane-mode: none\n    networking.istio.io/tunnel: http\nspec:\n  nodeName: bench-a\n  serviceAccountName: waypoint\n  containers:\n  - name: istio-proxy\n    image: ambit/waypoint\n` +
      `status:\n${RUNNING_POD_STATUS}  podIP: ${MESH_ADDRESSES.waypoint}\n`,
    service('origin-wp', '  labels:\n    istio.io/use-waypoint: waypoint\n'),
    virtualService('origin-wp', 'bench-gateway-wp', 'origin-wp'),
  ];
  return { 'l7-gateway.yaml': gateway.join('---\n'), 'l7-waypoint.yaml': waypoint.join('---\n') };
}
