import type { Logger } from '@ambit/telemetry';
import type { XdsClientCredentials } from '@ambit/xds';
import type { HostPort } from '@ambit/process';
import { canonicalIp, MeshState, WAYPOINT_ROUTE_TABLES, type MeshView, type Workload } from '../state/index.js';
import { proxyMetadata, XdsAdapter, type ProxyRole } from './xds-adapter.js';

export interface OwnWorkloadOptions {
  readonly address: HostPort;
  /** The node's token (and the mesh roots): a node sees every Address. */
  readonly credentials: XdsClientCredentials;
  readonly nodeName: string;
  readonly role: ProxyRole;
  /** The xDS user agent, e.g. `ambit-waypoint`. */
  readonly userAgent: string;
  readonly network: string;
  readonly workloadUid: string | undefined;
  readonly podIp: string | undefined;
  readonly log: Logger;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Aborts the search (the proxy is closing). */
  readonly signal: AbortSignal;
}

/** The proxy's Workload in an Address state: by uid when given, else by pod IP. */
export function findOwnWorkload(state: MeshView, network: string, uid: string | undefined, podIp: string | undefined): Workload | undefined {
  if (uid !== undefined) return state.workloads.byUid(uid);
  return podIp === undefined ? undefined : state.workloads.byAddress(network, canonicalIp(podIp) ?? podIp);
}

/**
 * Finds out who a proxy is before it has a certificate: a short Address-only xDS
 * stream authenticated with its node's token, until the proxy's own Workload
 * arrives. Its identity is what the certificate is then requested for, and its address
 * is where the proxy listens. The stream is closed once the workload is known (or on abort).
 */
export function discoverOwnWorkload(options: OwnWorkloadOptions): Promise<Workload> {
  // Only Addresses arrive on this stream; the route table rules are never consulted.
  const state = new MeshState({ routeTables: WAYPOINT_ROUTE_TABLES });
  const adapter = new XdsAdapter({
    address: options.address,
    credentials: options.credentials,
    nodeId: `${options.role}~${options.podIp ?? options.workloadUid}~bootstrap`,
    metadata: proxyMetadata(options.role, options.nodeName),
    state,
    watch: [],
    userAgent: options.userAgent,
    log: options.log,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });
  return new Promise<Workload>((resolve, reject) => {
    const finish = (): void => {
      unsubscribe();
      options.signal.removeEventListener('abort', onAbort);
      adapter.close();
    };
    const check = (): void => {
      const workload = findOwnWorkload(state.view, options.network, options.workloadUid, options.podIp);
      if (workload === undefined) return;
      finish();
      resolve(workload);
    };
    const onAbort = (): void => {
      finish();
      reject(options.signal.reason as Error);
    };
    const unsubscribe = state.view.onChange(check);
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    adapter.start();
  });
}
