import { stringify } from 'yaml';
import type { ClusterSpec, PodSpec } from '../spec/cluster-spec.js';
import { formatCidr } from '../spec/ipv4.js';

/**
 * The Kubernetes resources the control plane reads for this cluster — Namespace,
 * Node, ServiceAccount, Service, Pod — as one multi-document YAML, derived from the
 * same description that built the namespaces, so addresses always agree.
 */
export function emitYaml(spec: ClusterSpec): string {
  return clusterResources(spec)
    .map((resource) => stringify(resource, { lineWidth: 0 }))
    .join('---\n');
}

/** The resources as objects, in the order a reader needs them (namespaces first). */
export function clusterResources(spec: ClusterSpec): Record<string, unknown>[] {
  const nodeIp = new Map(spec.nodes.map((n) => [n.name, n.ip]));
  const serviceAccounts = [...new Set(spec.pods.map((p) => `${p.namespace}/${p.serviceAccount}`))].sort();
  return [
    ...spec.namespaces.map((ns) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, ...labelsOf(ns.labels) } })),
    ...spec.nodes.map((node) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name } },
      spec: { podCIDR: formatCidr(node.podCIDR), podCIDRs: [formatCidr(node.podCIDR)] },
      status: {
        addresses: [
          { type: 'InternalIP', address: node.ip },
          { type: 'Hostname', address: node.name },
        ],
      },
    })),
    ...serviceAccounts.map((key) => {
      const [namespace, name] = key.split('/');
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
    }),
    ...spec.services.map((service) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service.name, namespace: service.namespace },
      spec: {
        ...(service.clusterIP === undefined ? {} : { clusterIP: service.clusterIP }),
        selector: service.selector,
        ports: service.ports.map((p) => ({ ...(p.name === undefined ? {} : { name: p.name }), port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
      },
    })),
    ...spec.pods.map((pod) => podResource(pod, nodeIp.get(pod.node)!)),
  ];
}

function podResource(pod: PodSpec, hostIP: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, ...labelsOf(pod.labels) },
    spec: {
      nodeName: pod.node,
      serviceAccountName: pod.serviceAccount,
      // The application is whatever `netns-cluster exec` runs in the pod; the mesh only reads the ports.
      containers: [{ name: 'app', image: 'netns-cluster/exec', ports: pod.ports.map((containerPort) => ({ containerPort, protocol: 'TCP' })) }],
    },
    status: {
      phase: 'Running',
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP: pod.ip,
      podIPs: [{ ip: pod.ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

function labelsOf(labels: Readonly<Record<string, string>>): { labels?: Record<string, string> } {
  return Object.keys(labels).length === 0 ? {} : { labels: { ...labels } };
}
