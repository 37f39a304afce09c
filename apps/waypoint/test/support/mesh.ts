import { podYaml } from '@ambit/test-support';

/**
 * The waypoint test mesh: namespace demo (ambient) with its waypoint (Gateway
 * `waypoint`, class istio-waypoint, run by pod waypoint-0 as service account `waypoint`
 * on node-a), service reviews (VIP 10.96.9.9:9080) using it, a backend pod on node-b and
 * a client pod on node-b.
 */
export const WAYPOINT_IP = '127.79.0.5';
export const WAYPOINT_UID = 'Kubernetes//Pod/demo/waypoint-0';
export const WAYPOINT_IDENTITY = 'spiffe://cluster.local/ns/demo/sa/waypoint';
export const CLIENT_IDENTITY = 'spiffe://cluster.local/ns/demo/sa/client';
/** A second client pod's identity (pod `other` on node-b, added by the tests that need it). */
export const OTHER_IDENTITY = 'spiffe://cluster.local/ns/demo/sa/other';
export const REVIEWS_IP = '127.79.0.20';
export const REVIEWS_IDENTITY = 'spiffe://cluster.local/ns/demo/sa/reviews';
export const REVIEWS_VIP = '10.96.9.9';
export const REVIEWS_HOST = 'reviews.demo.svc.cluster.local';

/** A running, ready Pod of namespace demo. */
export const pod = (name: string, ip: string, node: string, serviceAccount: string, labels: Record<string, string>): string => podYaml('demo', name, ip, labels, { node, serviceAccount });
export function meshFiles(targetPort: number): Record<string, string> {
  return {
    'namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    istio.io/dataplane-mode: ambient
`,
    'waypoint.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: waypoint
  namespace: demo
  labels:
    istio.io/waypoint-for: service
spec:
  gatewayClassName: istio-waypoint
  listeners:
  - name: mesh
    port: 15008
    protocol: HBONE
---
apiVersion: v1
kind: Service
metadata:
  name: waypoint
  namespace: demo
  labels:
    gateway.istio.io/managed: istio.io-mesh-controller
spec:
  clusterIP: 10.96.9.1
  selector:
    gateway.networking.k8s.io/gateway-name: waypoint
  ports:
  - name: mesh
    port: 15008
`,
    'waypoint-pod.yaml': pod('waypoint-0', WAYPOINT_IP, 'node-a', 'waypoint', { 'gateway.networking.k8s.io/gateway-name': 'waypoint' }),
    'reviews.yaml': `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: demo
  labels:
    istio.io/use-waypoint: waypoint
spec:
  clusterIP: ${REVIEWS_VIP}
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
    targetPort: ${targetPort}
`,
    'reviews-pod.yaml': pod('reviews-v1', REVIEWS_IP, 'node-b', 'reviews', { app: 'reviews', version: 'v1' }),
    'client-pod.yaml': pod('client', '127.79.0.10', 'node-b', 'client', { app: 'client' }),
  };
}
