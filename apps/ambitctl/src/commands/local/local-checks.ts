import { isIPv4 } from 'node:net';
import { IssueCode, type ConfigIssue, type NodeResource, type PodResource, type Resource } from '@ambit/config-model';
import { podAddresses } from '@ambit/mesh-model';

/** Whether a pod is a workload at all (as the mesh model decides): finished and host-network pods are not. */
export function isLocalWorkload(pod: PodResource): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.spec.hostNetwork !== true;
}

export function isLoopback(ip: string): boolean {
  return isIPv4(ip) && ip.startsWith('127.');
}

/**
 * What valid Kubernetes YAML may still lack for local mode, where every address is a
 * loopback address of this machine: each pod needs its node and its own address in
 * 127.0.0.0/8 (the address its application listens on), each declared node an
 * InternalIP there, and no address may serve two of them. Reported as config issues,
 * so they print like `ambitctl validate`'s.
 */
export function localModeIssues(resources: readonly Resource[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const owners = new Map<string, string>();
  const claim = (ip: string, resource: PodResource | NodeResource, path: string): void => {
    const owner = `${resource.kind} ${describe(resource)}`;
    const first = owners.get(ip);
    if (first === undefined) owners.set(ip, owner);
    else issues.push(localIssue(resource, IssueCode.Conflict, path, `address ${ip} is already ${first}'s`, 'in local mode each pod and node has an address of its own'));
  };
  for (const resource of resources) {
    if (resource.kind === 'Node') checkNode(resource, issues, claim);
    else if (resource.kind === 'Pod' && isLocalWorkload(resource)) checkPod(resource, issues, claim);
  }
  return issues;
}

type Claim = (ip: string, resource: PodResource | NodeResource, path: string) => void;

function checkNode(node: NodeResource, issues: ConfigIssue[], claim: Claim): void {
  (node.status?.addresses ?? []).forEach((address, i) => {
    if (address.type !== 'InternalIP') return;
    const path = `status.addresses[${i}].address`;
    if (!isLoopback(address.address)) {
      issues.push(localIssue(node, IssueCode.Value, path, `${JSON.stringify(address.address)} is not in 127.0.0.0/8`, "a node's InternalIP is where its ztunnel listens; in local mode that is a loopback address"));
    } else claim(address.address, node, path);
  });
}

function checkPod(pod: PodResource, issues: ConfigIssue[], claim: Claim): void {
  if (pod.spec.nodeName === undefined || pod.spec.nodeName === '') {
    issues.push(localIssue(pod, IssueCode.Required, 'spec.nodeName', 'is required in local mode', 'name the node whose ztunnel serves this pod'));
  }
  const addresses = podAddresses(pod);
  const path = pod.status?.podIPs !== undefined && pod.status.podIPs.length > 0 ? 'status.podIPs' : 'status.podIP';
  if (addresses.length === 0) {
    issues.push(localIssue(pod, IssueCode.Required, 'status.podIP', 'is required in local mode', 'the address in 127.0.0.0/8 that the application listens on, e.g. 127.0.10.5'));
  }
  addresses.forEach((ip, i) => {
    const at = path === 'status.podIP' ? path : `${path}[${i}].ip`;
    if (!isLoopback(ip)) issues.push(localIssue(pod, IssueCode.Value, at, `${JSON.stringify(ip)} is not in 127.0.0.0/8`, 'in local mode a pod address is a loopback address that the application listens on'));
    else claim(ip, pod, at);
  });
}

function describe(resource: Resource): string {
  return resource.metadata.namespace === '' ? resource.metadata.name : `${resource.metadata.namespace}/${resource.metadata.name}`;
}

/** A config issue of local mode's own, about one field of a resource, printed as validation's are. */
export function localIssue(resource: Resource, code: IssueCode, path: string, message: string, hint: string): ConfigIssue {
  const { name, namespace } = resource.metadata;
  return { severity: 'error', code, position: resource.source, resource: { kind: resource.kind, name, namespace: namespace === '' ? undefined : namespace }, path, message, hint };
}
