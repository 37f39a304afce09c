import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Resource names of the small mesh, as the translator names its outputs. */
export const NAMES = Object.freeze({
  podA: 'Kubernetes//Pod/demo/web-a',
  podB: 'Kubernetes//Pod/demo/web-b',
  service: 'demo/web.demo.svc.cluster.local',
});

export const NAMESPACE_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    istio.io/dataplane-mode: ambient
`;

export function serviceYaml(clusterIP = '10.96.0.10'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  clusterIP: ${clusterIP}
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;
}

export function podYaml(name: string, ip: string, options: { ready?: boolean; version?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: demo
  labels:
    app: web
    version: ${options.version ?? 'v1'}
spec:
  nodeName: node-a
  serviceAccountName: web
  containers:
  - name: web
    image: web:1
status:
  phase: Running
  podIP: ${ip}
  conditions:
  - type: Ready
    status: "${options.ready === false ? 'False' : 'True'}"
`;
}

/** A temporary work directory: `config/` holding a small ambient mesh (a namespace, a service, two pods) and room for the CA beside it. */
export interface MeshDir {
  readonly root: string;
  readonly configDir: string;
  readonly caDir: string;
  /** Replaces `name` in the config directory atomically (written beside it, then renamed), so the watcher never reads half a file. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createMeshDir(): Promise<MeshDir> {
  const root = await mkdtemp(join(tmpdir(), 'ambit-cp-'));
  const configDir = join(root, 'config');
  const dir: MeshDir = {
    root,
    configDir,
    caDir: join(root, 'ca'),
    write: async (name, text) => {
      const staged = join(root, `${name}.next`);
      await writeFile(staged, text);
      await rename(staged, join(configDir, name));
    },
    remove: (name) => rm(join(configDir, name)),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  await mkdir(configDir);
  await dir.write('namespace.yaml', NAMESPACE_YAML);
  await dir.write('service.yaml', serviceYaml());
  await dir.write('pod-a.yaml', podYaml('web-a', '10.0.0.1'));
  await dir.write('pod-b.yaml', podYaml('web-b', '10.0.0.2'));
  return dir;
}
