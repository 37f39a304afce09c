/** An action as policies and reports name it. */
export type ActionName = 'ALLOW' | 'DENY' | 'AUDIT';

/**
 * Why a connection was allowed or refused. Each names one step of the evaluation order
 * (docs/authorization.md#evaluation-order).
 */
export type DecisionReason =
  /** A DENY policy matched (`policy`, `rule`): refused. */
  | 'deny-policy-matched'
  /** A DENY policy in scope could not be compiled and fails closed (`policy`): refused. */
  | 'invalid-deny-policy'
  /** The destination names a policy the store does not hold (`policy`): refused. */
  | 'policy-missing'
  /** No ALLOW policy applies to the destination: allowed. */
  | 'no-allow-policies'
  /** An ALLOW policy matched (`policy`, `rule`): allowed. */
  | 'allow-policy-matched'
  /** ALLOW policies apply and none matched: refused ("an ALLOW policy means default deny"). */
  | 'no-allow-policy-matched'
  /** The source or destination address is not an IP address: refused. */
  | 'malformed-connection';

/** A policy that matched without deciding: an AUDIT policy, or any dry-run policy. */
export interface PolicyMatch {
  /** `namespace/name`. */
  readonly policy: string;
  readonly action: ActionName;
  /** Index of the matching rule (group) in the policy. */
  readonly rule: number;
}

/**
 * The outcome for one connection. Decisions are precomputed when policies are compiled
 * and shared between calls: treat them as immutable.
 */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: DecisionReason;
  /** The deciding policy (`namespace/name`), when one decided. */
  readonly policy: string | undefined;
  /**
   * The index of the deciding rule (group) in that policy. The translator drops ALLOW
   * rules that need HTTP attributes, so after one of those it is not the index in the
   * AuthorizationPolicy's `rules`.
   */
  readonly rule: number | undefined;
  /** AUDIT policies in scope that matched, in evaluation order. */
  readonly audits: readonly PolicyMatch[];
  /** Dry-run policies in scope that matched (they never decide), in evaluation order. */
  readonly dryRun: readonly PolicyMatch[];
}

const NONE: readonly PolicyMatch[] = Object.freeze([]);

/** A frozen decision with no audit or dry-run matches. */
export function decision(allowed: boolean, reason: DecisionReason, policy?: string, rule?: number): Decision {
  return Object.freeze({ allowed, reason, policy, rule, audits: NONE, dryRun: NONE });
}

export const NO_ALLOW_POLICIES = decision(true, 'no-allow-policies');
export const NO_ALLOW_POLICY_MATCHED = decision(false, 'no-allow-policy-matched');
export const MALFORMED_CONNECTION = decision(false, 'malformed-connection');
