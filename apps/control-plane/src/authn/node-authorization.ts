import type { SpiffeId } from '@ambit/crypto';
import { describeCaller } from './authenticate-call.js';
import type { Caller } from './caller.js';
import { IdentityNotAllowedError } from './errors.js';

/** Which identities run where, as the mesh model knows it now (read-only). */
export interface WorkloadPlacement {
  /** Whether a workload with service account `namespace/serviceAccount` is scheduled on `node`. */
  nodeRuns(node: string, namespace: string, serviceAccount: string): boolean;
}

/**
 * Node authorization, as Istio's CA applies it to ztunnel (a subset of Kubernetes node
 * authorization): a node may obtain the identity of a workload scheduled on it — a pod
 * with that service account whose `spec.nodeName` is the node — and a workload (a
 * waypoint or gateway with its own certificate or token) only its own identity. Throws
 * IdentityNotAllowedError otherwise; the identity must be in the trust domain.
 */
export function authorizeIdentity(caller: Caller, identity: SpiffeId, trustDomain: string, placement: WorkloadPlacement): void {
  if (identity.trustDomain !== trustDomain) throw new IdentityNotAllowedError(describeCaller(caller), identity.toString(), `it is not in trust domain ${trustDomain}`);
  if (caller.kind === 'workload') {
    if (!caller.identity.equals(identity)) throw new IdentityNotAllowedError(describeCaller(caller), identity.toString(), 'a proxy may only renew its own identity');
    return;
  }
  if (!placement.nodeRuns(caller.node, identity.namespace, identity.serviceAccount)) {
    throw new IdentityNotAllowedError(describeCaller(caller), identity.toString(), `no workload with service account ${identity.namespace}/${identity.serviceAccount} is scheduled on node ${caller.node}`);
  }
}
