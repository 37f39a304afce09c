import { podYaml } from '@ambit/test-support';

export { podYaml };

/**
 * The test mesh: an ambient namespace `demo` with the client pod on node-a, and a
 * namespace `legacy` outside the mesh (tunnel protocol NONE, so the plain-TCP connector
 * may reach it) with service `web` (VIP 10.96.7.7, port 80) backed by pods on loopback
 * addresses, where the tests run echo servers on the target port.
 */
export const CLIENT_IP = '127.77.0.10';
export const CLIENT_UID = 'Kubernetes//Pod/demo/client';
export const WEB_VIP = '10.96.7.7';

export function meshFiles(targetPort: number, backends: readonly (readonly [string, string])[]): Record<string, string> {
  const files: Record<string, string> = {
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
  name: legacy
`,
    'client.yaml': podYaml('demo', 'client', CLIENT_IP, { app: 'client' }),
    'web.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: legacy
spec:
  clusterIP: ${WEB_VIP}
  selector:
    app: web
  ports:
  - name: tcp
    port: 80
    targetPort: ${targetPort}
`,
  };
  for (const [name, ip] of backends) files[`${name}.yaml`] = podYaml('legacy', name, ip, { app: 'web' });
  return files;
}
