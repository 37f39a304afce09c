import { serviceResource, workloadResource } from '@ambit/test-support';
import type { StateUpdate } from '@ambit/workload-state';
import type { l7V1, workloadV1 } from '@ambit/xds';

// Wire resources for proxy tests, with the defaults a proto decoder would give.

/** A workload Address named by `uid` (tests name workloads freely), with the canonical labels its telemetry reads. */
export function workloadAddress(uid: string, options: { ns?: string; ip?: string; sa?: string; services?: Record<string, [number, number][]>; hbone?: boolean; healthy?: boolean; name?: string } = {}): workloadV1.Address {
  const name = options.name ?? uid.split('/').pop()!;
  return workloadResource(name, {
    namespace: options.ns ?? 'demo',
    ...(options.ip === undefined ? {} : { ip: options.ip }),
    ...(options.services === undefined ? {} : { services: options.services }),
    ...(options.hbone === undefined ? {} : { hbone: options.hbone }),
    ...(options.healthy === undefined ? {} : { healthy: options.healthy }),
    overrides: { uid, serviceAccount: options.sa ?? 'default', canonicalName: 'reviews', canonicalRevision: 'v1', workloadName: name, clusterId: 'Kubernetes' },
  }).resource;
}

export function serviceAddress(ns: string, name: string, vip: string, ports: [number, number][]): workloadV1.Address {
  return serviceResource(name, { namespace: ns, vips: [vip], ports }).resource;
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
