import type { workloadV1 } from '@ambit/xds';
import type { StateErrors } from '../errors.js';
import { enumName, failFor, gatewayAddress, ip, networkAddress, portMap, required, type Fail } from './convert-common.js';
import type { LoadBalancer, LoadBalancerMode, LocalityScope, PortMap, Service, Workload } from '../types.js';

// Indexed by the proto enum numbers (workload.proto).
const PROTOCOLS = ['TCP', 'HBONE'] as const;
const STATUSES = ['Healthy', 'Unhealthy'] as const;
const WORKLOAD_TYPES = ['deployment', 'cronjob', 'pod', 'job'] as const;
const MODES: readonly LoadBalancerMode[] = ['Standard', 'Strict', 'Failover'];
const SCOPES = ['Unspecified', 'Region', 'Zone', 'Subzone', 'Node', 'Cluster', 'Network'] as const;

/** One Address resource, validated: a workload or a service. */
export type ConvertedAddress = { readonly kind: 'workload'; readonly workload: Workload } | { readonly kind: 'service'; readonly service: Service };

/**
 * Validates an Address resource and converts it to the state's types. Throws the
 * proxy's InvalidResourceError naming the resource and the first field that cannot be applied.
 */
export function convertAddress(name: string, address: workloadV1.Address, errors: StateErrors): ConvertedAddress {
  const fail = failFor(errors, 'Address', name);
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
  return {
    uid,
    name: required(w.name, 'workload.name', fail),
    namespace,
    workloadIps: w.addresses.map((bytes, i) => ip(bytes, `workload.addresses[${i}]`, fail)),
    hostname: w.hostname,
    network: w.network,
    protocol: enumName(w.tunnelProtocol, PROTOCOLS, 'workload.tunnelProtocol', fail),
    trustDomain: w.trustDomain,
    serviceAccount: w.serviceAccount,
    identity: `spiffe://${w.trustDomain}/ns/${namespace}/sa/${w.serviceAccount}`,
    waypoint: gatewayAddress(w.waypoint, 'workload.waypoint', fail),
    node: w.node,
    canonicalName: w.canonicalName,
    canonicalRevision: w.canonicalRevision,
    workloadType: enumName(w.workloadType, WORKLOAD_TYPES, 'workload.workloadType', fail),
    workloadName: w.workloadName,
    services,
    authorizationPolicies: w.authorizationPolicies,
    status: enumName(w.status, STATUSES, 'workload.status', fail),
    clusterId: w.clusterId,
    locality: w.locality ?? { region: '', zone: '', subzone: '' },
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
    vips: s.addresses.map((address, i) => networkAddress(address, `service.addresses[${i}]`, fail)),
    ports: portMap(s.ports, 'service.ports', fail),
    subjectAltNames: s.subjectAltNames,
    waypoint: gatewayAddress(s.waypoint, 'service.waypoint', fail),
    loadBalancer: loadBalancer(s.loadBalancing, fail),
  };
}

function loadBalancer(lb: workloadV1.LoadBalancing | null, fail: Fail): LoadBalancer | undefined {
  if (lb === null) return undefined;
  const routingPreferences = lb.routingPreference.map((scope, i) => {
    const field = `service.loadBalancing.routingPreference[${i}]`;
    const scopeName = enumName(scope, SCOPES, field, fail);
    if (scopeName === 'Unspecified') fail(field, 'UNSPECIFIED_SCOPE is not a scope to prefer');
    return scopeName as LocalityScope;
  });
  return { routingPreferences, mode: enumName(lb.mode, MODES, 'service.loadBalancing.mode', fail) };
}
