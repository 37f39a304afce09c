export interface PodOptions {
  /** Default node-a. */
  readonly node?: string;
  /** Default: none (the namespace's `default` account). */
  readonly serviceAccount?: string;
}

/** A running, ready Pod as a test mesh declares it: on a node, with labels and its pod IP. */
export function podYaml(namespace: string, name: string, ip: string, labels: Record<string, string>, { node = 'node-a', serviceAccount }: PodOptions = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
${Object.entries(labels)
  .map(([key, value]) => `    ${key}: ${value}`)
  .join('\n')}
spec:
  nodeName: ${node}
${serviceAccount === undefined ? '' : `  serviceAccountName: ${serviceAccount}\n`}  containers:
  - name: main
    image: app:1
status:
  phase: Running
  podIP: ${ip}
  conditions:
  - type: Ready
    status: "True"
`;
}
