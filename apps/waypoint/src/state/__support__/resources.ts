import type { l7V1, workloadV1 } from '@ambit/xds';
import type { StateUpdate } from '../mesh-state.js';

// Wire resources for state tests, with the defaults a proto decoder would give.

export function ipBytes(ip: string): Uint8Array {
  return Uint8Array.from(ip.split('.').map(Number));
}

export function workloadAddress(uid: string, options: { ns?: string; ip?: string; sa?: string; services?: Record<string, [number, number][]>; hbone?: boolean; healthy?: boolean; name?: string } = {}): workloadV1.Address {
  const workload: workloadV1.Workload = {
    uid,
    name: options.name ?? uid.split('/').pop()!,
    namespace: options.ns ?? 'demo',
    addresses: options.ip === undefined ? [] : [ipBytes(options.ip)],
    hostname: '',
    network: '',
    tunnelProtocol: options.hbone === false ? 0 : 1,
    trustDomain: 'cluster.local',
    serviceAccount: options.sa ?? 'default',
    waypoint: null,
    node: 'node-a',
    canonicalName: 'reviews',
    canonicalRevision: 'v1',
    workloadType: 2,
    workloadName: options.name ?? uid.split('/').pop()!,
    services: Object.fromEntries(Object.entries(options.services ?? {}).map(([key, ports]) => [key, { ports: ports.map(([servicePort, targetPort]) => ({ servicePort, targetPort })) }])),
    authorizationPolicies: [],
    status: options.healthy === false ? 1 : 0,
    clusterId: 'Kubernetes',
    locality: null,
  };
  return { type: 'workload', workload };
}

export function serviceAddress(ns: string, name: string, vip: string, ports: [number, number][]): workloadV1.Address {
  return {
    type: 'service',
    service: {
      name,
      namespace: ns,
      hostname: `${name}.${ns}.svc.cluster.local`,
      addresses: [{ network: '', address: ipBytes(vip) }],
      ports: ports.map(([servicePort, targetPort]) => ({ servicePort, targetPort })),
      subjectAltNames: [],
      waypoint: null,
      loadBalancing: null,
    },
  };
}

export function routeTable(ns: string, hostname: string, port: number, cluster = `outbound|${port}||${hostname}`): l7V1.RouteTable {
  return {
    context: 'service',
    service: { namespace: ns, hostname, port },
    virtualHosts: [{ domains: ['*'], routes: [{ name: 'default', matches: [], action: 'forward', forward: { clusters: [{ cluster, weight: 100, requestHeaders: null, responseHeaders: null }], rewrite: null, timeoutMs: 0, retries: null, mirrors: [] }, requestHeaders: null, responseHeaders: null, fault: null, cors: null }] }],
  } as unknown as l7V1.RouteTable;
}

export function cluster(service: string, port: number, subsetUids?: string[]): l7V1.Cluster {
  return {
    service,
    hostname: service.split('/')[1]!,
    port,
    subset: subsetUids === undefined ? '' : 'v1',
    subsetEndpoints: subsetUids === undefined ? null : { workloadUids: subsetUids },
    loadBalancer: null,
    connectionPool: null,
    outlierDetection: null,
    tls: null,
  };
}

export function upsert<T>(...entries: [string, T][]): StateUpdate<T> {
  return { upserted: entries.map(([name, resource]) => ({ name, resource })), removed: [] };
}
