import type { Logger } from '@ambit/telemetry';
import type { XdsClientCredentials } from '@ambit/xds';
import type { HostPort } from '../config/index.js';
import { canonicalIp, MeshState, type MeshView, type Workload } from '../state/index.js';
import { waypointMetadata, XdsAdapter } from './xds-adapter.js';

export interface OwnWorkloadOptions {
  readonly address: HostPort;
  /** The node's token (and the mesh roots): a node sees every Address. */
  readonly credentials: XdsClientCredentials;
  readonly nodeName: string;
  readonly network: string;
  readonly workloadUid: string | undefined;
  readonly podIp: string | undefined;
  readonly log: Logger;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Aborts the search (the waypoint is closing). */
  readonly signal: AbortSignal;
}

/** The waypoint's Workload in an Address state: by uid when given, else by pod IP. */
export function findOwnWorkload(state: MeshView, network: string, uid: string | undefined, podIp: string | undefined): Workload | undefined {
  if (uid !== undefined) return state.workloads.byUid(uid);
  return podIp === undefined ? undefined : state.workloads.byAddress(network, canonicalIp(podIp) ?? podIp);
}

/**
 * Finds out who the waypoint is before it has a certificate: a short Address-only xDS
 * stream authenticated with its node's token, until the waypoint's own Workload
 * arrives. Its identity is what the certificate is then requested for, and its address
 * is where HBONE is served. The stream is closed once the workload is known (or on abort).
 */
export function discoverOwnWorkload(options: OwnWorkloadOptions): Promise<Workload> {
  const state = new MeshState();
  const adapter = new XdsAdapter({
    address: options.address,
    credentials: options.credentials,
    nodeId: `waypoint~${options.podIp ?? options.workloadUid}~bootstrap`,
    metadata: waypointMetadata(options.nodeName),
    state,
    watch: 'addresses',
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
