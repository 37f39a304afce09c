import type { SpiffeId } from '@ambit/crypto';

/** How a caller proved who it is. */
export type CallerProof = 'bootstrap-token' | 'service-account-token' | 'certificate';

/**
 * Who is calling the control plane (xDS or CA), once authenticated.
 *
 * - `node`: a ztunnel acting for a node. It may obtain certificates for the identities
 *   of workloads scheduled on that node, and sees every resource.
 * - `workload`: a proxy that is itself a workload (a waypoint or gateway). It may obtain
 *   a certificate for its own identity only.
 */
export type Caller =
  | { readonly kind: 'node'; readonly node: string; readonly proof: CallerProof }
  | { readonly kind: 'workload'; readonly identity: SpiffeId; readonly proof: CallerProof };

/**
 * Turns a bearer token (the `authorization: Bearer <token>` metadata of a call) into a
 * caller. Implementations: bootstrap tokens (local mode) and Kubernetes TokenReview.
 * A token that is unknown, expired, forged or unverifiable rejects with a typed
 * AmbitError whose message never contains the token (the caller is then refused
 * UNAUTHENTICATED); a wait that outlives `signal` rejects too. An error that carries a
 * gRPC status as `grpcCode` keeps it (e.g. UNAVAILABLE when a token reviewer cannot be
 * reached, so that the node retries).
 */
export interface CallerAuthenticator {
  authenticate(token: string, signal: AbortSignal): Promise<Caller>;
}
