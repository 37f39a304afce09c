/**
 * Writes the YAML of a synthetic mesh of a given size: namespaces, service accounts,
 * services with pods behind them, and per-service routing and policy, as a platform
 * team's config directory would hold them.
 */
export interface MeshSize {
  readonly services: number;
  readonly podsPerService: number;
}

/** One YAML file of a generated mesh: the namespaces, or everything of one service. */
export interface MeshFile {
  readonly name: string;
  readonly documents: readonly string[];
}

/** The mesh as a platform team would keep it in a directory: one file per service. */
export function generateMeshFiles({ services, podsPerService }: MeshSize, podVersion: (service: number, pod: number) => string = (_s, p) => `v${p % 2}`): MeshFile[] {
  const files: MeshFile[] = [];
  const namespaces = Math.max(1, Math.ceil(services / 100));
  const namespaceDocs: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    namespaceDocs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${n}\n  labels:\n    istio.io/dataplane-mode: ambient\n`);
  }
  files.push({ name: 'namespaces.yaml', documents: namespaceDocs });
  for (let s = 0; s < services; s++) files.push({ name: `svc-${s}.yaml`, documents: serviceDocuments(s, { services, podsPerService }, namespaces, podVersion) });
  return files;
}

/** The same mesh as one multi-document YAML text. */
export function generateMeshYaml(size: MeshSize): { text: string; resources: number } {
  const docs = generateMeshFiles(size).flatMap((file) => file.documents);
  return { text: docs.join('---\n'), resources: docs.length };
}

/** The text of one generated file. */
export function meshFileText(file: MeshFile): string {
  return file.documents.join('---\n');
}

function serviceDocuments(s: number, { services, podsPerService }: MeshSize, namespaces: number, podVersion: (service: number, pod: number) => string): string[] {
  const docs: string[] = [];
  const ns = `ns-${s % namespaces}`;
  const app = `svc-${s}`;
  docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${app}\n  namespace: ${ns}\n`);
  docs.push(
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - name: http\n    port: 8080\n    targetPort: 8080\n`,
  );
  for (let p = 0; p < podsPerService; p++) {
    const ip = 10 * 65536 + s * podsPerService + p;
    const podIP = `127.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${app}-${p}\n  namespace: ${ns}\n  labels:\n    app: ${app}\n    version: ${podVersion(s, p)}\nspec:\n  nodeName: node-${p % 4}\n  serviceAccountName: ${app}\n  containers:\n  - name: app\n    image: example/app:1\n    ports:\n    - containerPort: 8080\nstatus:\n  podIP: ${podIP}\n`,
    );
  }
  docs.push(
    `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  host: ${app}\n  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: 5\n      interval: 10s\n      baseEjectionTime: 30s\n  subsets:\n  - name: v0\n    labels:\n      version: v0\n  - name: v1\n    labels:\n      version: v1\n`,
  );
  docs.push(
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  hosts:\n  - ${app}\n  http:\n  - match:\n    - uri:\n        prefix: /api\n    route:\n    - destination:\n        host: ${app}\n        subset: v0\n      weight: 90\n    - destination:\n        host: ${app}\n        subset: v1\n      weight: 10\n    retries:\n      attempts: 3\n      perTryTimeout: 2s\n    timeout: 10s\n`,
  );
  docs.push(
    `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/${ns}/sa/svc-${(s + 1) % services}"]\n    to:\n    - operation:\n        methods: ["GET", "POST"]\n        paths: ["/api/*"]\n`,
  );
  return docs;
}
