import { isIPv4 } from 'node:net';
import { securityV1, workloadV1, type MessageInit } from '@ambit/xds';

// xDS resources as the control plane sends them (Address, Authorization), for tests of what proxies make of them.

/** IP text → the bytes the wire carries (test input only). */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const parts = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const high = parts(head);
  const low = parts(tail);
  const groups = [...high, ...new Array<number>(8 - high.length - low.length).fill(0), ...low];
  return Buffer.from(groups.flatMap((g) => [g >> 8, g & 255]));
}

export interface WorkloadSpec {
  readonly ip?: string | readonly string[];
  readonly namespace?: string;
  readonly node?: string;
  readonly services?: Record<string, readonly [number, number][]>;
  readonly healthy?: boolean;
  readonly hbone?: boolean;
  readonly overrides?: MessageInit<workloadV1.Workload>;
}

/** A workload resource as the control plane sends it, decoded (every field present). */
export function workloadResource(name: string, spec: WorkloadSpec = {}): { name: string; resource: workloadV1.Address } {
  const namespace = spec.namespace ?? 'default';
  const uid = `Kubernetes//Pod/${namespace}/${name}`;
  const ips = spec.ip === undefined ? [] : typeof spec.ip === 'string' ? [spec.ip] : spec.ip;
  const init: MessageInit<workloadV1.Workload> = {
    uid,
    name,
    namespace,
    addresses: ips.map(ipBytes),
    tunnelProtocol: spec.hbone === false ? workloadV1.TunnelProtocol.NONE : workloadV1.TunnelProtocol.HBONE,
    trustDomain: 'cluster.local',
    serviceAccount: 'default',
    node: spec.node ?? 'node-a',
    workloadType: workloadV1.WorkloadType.POD,
    status: spec.healthy === false ? workloadV1.WorkloadStatus.UNHEALTHY : workloadV1.WorkloadStatus.HEALTHY,
    services: Object.fromEntries(Object.entries(spec.services ?? {}).map(([key, ports]) => [key, { ports: ports.map(([servicePort, targetPort]) => ({ servicePort, targetPort })) }])),
    ...spec.overrides,
  };
  return { name: uid, resource: workloadV1.Address.decode(workloadV1.Address.encode({ type: 'workload', workload: init })) };
}

export interface ServiceSpec {
  readonly namespace?: string;
  readonly vips?: readonly string[];
  readonly ports?: readonly [number, number][];
  readonly overrides?: MessageInit<workloadV1.Service>;
}

/** A service resource as the control plane sends it, decoded; `name` is its xDS name (`namespace/hostname`). */
export function serviceResource(name: string, spec: ServiceSpec = {}): { name: string; resource: workloadV1.Address } {
  const namespace = spec.namespace ?? 'default';
  const hostname = `${name}.${namespace}.svc.cluster.local`;
  const init: MessageInit<workloadV1.Service> = {
    name,
    namespace,
    hostname,
    addresses: (spec.vips ?? []).map((vip) => ({ network: '', address: ipBytes(vip) })),
    ports: (spec.ports ?? [[80, 8080]]).map(([servicePort, targetPort]) => ({ servicePort, targetPort })),
    ...spec.overrides,
  };
  return { name: `${namespace}/${hostname}`, resource: workloadV1.Address.decode(workloadV1.Address.encode({ type: 'service', service: init })) };
}

/** An Authorization resource as the control plane sends it, decoded. */
export function policyResource(namespace: string, name: string, init: MessageInit<securityV1.Authorization> = {}): { name: string; resource: securityV1.Authorization } {
  return { name: `${namespace}/${name}`, resource: securityV1.Authorization.decode(securityV1.Authorization.encode({ name, namespace, ...init })) };
}
