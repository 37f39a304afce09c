import { workloadV1 } from '@ambit/xds';
import { InvalidResourceError } from './errors.js';
import { ipFromBytes } from './ip.js';
import type { PortMap, Service, Workload } from './types.js';

/** One Address resource, validated: a workload or a service. */
export type ConvertedAddress = { readonly kind: 'workload'; readonly workload: Workload } | { readonly kind: 'service'; readonly service: Service };

type Fail = (field: string, problem: string) => never;

/**
 * Validates an Address resource and keeps what the waypoint uses. Throws
 * InvalidResourceError naming the resource and the first field that cannot be applied.
 */
export function convertAddress(name: string, address: workloadV1.Address): ConvertedAddress {
  const fail: Fail = (field, problem) => {
    throw new InvalidResourceError('Address', name, field, problem);
  };
  switch (address.type) {
    case 'workload':
      return { kind: 'workload', workload: convertWorkload(name, address.workload, fail) };
    case 'service':
      return { kind: 'service', service: convertService(name, address.service, fail) };
    default:
      return fail('type', 'is required (a workload or a service)');
  }
}

function convertWorkload(name: string, w: workloadV1.Workload, fail: Fail): Workload {
  const uid = required(w.uid, 'workload.uid', fail);
  if (uid !== name) fail('workload.uid', `${JSON.stringify(uid)} differs from the resource name`);
  const namespace = required(w.namespace, 'workload.namespace', fail);
  const services = new Map<string, PortMap>();
  for (const [key, list] of Object.entries(w.services)) {
    const field = `workload.services[${JSON.stringify(key)}]`;
    if (!/^[^/]+\/[^/]+$/.test(key)) fail(field, 'is not a service key of the form namespace/hostname');
    services.set(key, portMap(list.ports, `${field}.ports`, fail));
  }
  if (w.tunnelProtocol !== workloadV1.TunnelProtocol.NONE && w.tunnelProtocol !== workloadV1.TunnelProtocol.HBONE) fail('workload.tunnelProtocol', `${w.tunnelProtocol} is not NONE (0) or HBONE (1)`);
  if (w.status !== workloadV1.WorkloadStatus.HEALTHY && w.status !== workloadV1.WorkloadStatus.UNHEALTHY) fail('workload.status', `${w.status} is not HEALTHY (0) or UNHEALTHY (1)`);
  return {
    uid,
    name: required(w.name, 'workload.name', fail),
    namespace,
    workloadIps: w.addresses.map((bytes, i) => ip(bytes, `workload.addresses[${i}]`, fail)),
    network: w.network,
    protocol: w.tunnelProtocol === workloadV1.TunnelProtocol.HBONE ? 'HBONE' : 'TCP',
    serviceAccount: w.serviceAccount,
    identity: `spiffe://${w.trustDomain}/ns/${namespace}/sa/${w.serviceAccount}`,
    node: w.node,
    canonicalName: w.canonicalName,
    canonicalRevision: w.canonicalRevision,
    workloadName: w.workloadName,
    clusterId: w.clusterId,
    services,
    healthy: w.status === workloadV1.WorkloadStatus.HEALTHY,
  };
}

function convertService(name: string, s: workloadV1.Service, fail: Fail): Service {
  const namespace = required(s.namespace, 'service.namespace', fail);
  const hostname = required(s.hostname, 'service.hostname', fail);
  const key = `${namespace}/${hostname}`;
  if (key !== name) fail('service.hostname', `${JSON.stringify(key)} (namespace/hostname) differs from the resource name`);
  return {
    key,
    name: required(s.name, 'service.name', fail),
    namespace,
    hostname,
    vips: s.addresses.map((address, i) => ({ network: address.network, address: ip(address.address, `service.addresses[${i}].address`, fail) })),
    ports: portMap(s.ports, 'service.ports', fail),
  };
}

function required(value: string, field: string, fail: Fail): string {
  if (value === '') fail(field, 'is required');
  return value;
}

function ip(bytes: Uint8Array, field: string, fail: Fail): string {
  return ipFromBytes(bytes) ?? fail(field, `${bytes.length} bytes is not an IPv4 (4 bytes) or IPv6 (16 bytes) address`);
}

function portMap(ports: readonly workloadV1.Port[], field: string, fail: Fail): PortMap {
  const map = new Map<number, number>();
  ports.forEach((p, i) => {
    if (!isPort(p.servicePort, 1)) fail(`${field}[${i}].servicePort`, `${p.servicePort} is not a port (1 to 65535)`);
    if (map.has(p.servicePort)) fail(`${field}[${i}].servicePort`, `${p.servicePort} is listed twice`);
    if (!isPort(p.targetPort, 0)) fail(`${field}[${i}].targetPort`, `${p.targetPort} is not a port (0 to 65535)`);
    map.set(p.servicePort, p.targetPort);
  });
  return map;
}

function isPort(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 65535;
}
