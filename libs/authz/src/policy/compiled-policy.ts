import { securityV1 } from '@ambit/xds';
import type { ConnectionFacts } from '../engine/connection.js';
import { decision, type ActionName, type Decision, type PolicyMatch } from '../engine/decision.js';
import type { InvalidPolicyError } from '../errors.js';
import type { CompiledMatch } from './compiled-match.js';

/** One rule (group): clauses AND-ed, each clause a list of matches OR-ed. */
export type CompiledGroup = readonly (readonly CompiledMatch[])[];

/** How a compiled policy is described; the parts `compilePolicy` and `failClosedPolicy` fill in. */
export interface CompiledPolicyParts {
  readonly key: string;
  readonly version: string;
  /** `namespace/name` of the AuthorizationPolicy. */
  readonly policy: string;
  readonly namespace: string;
  readonly scope: securityV1.Scope;
  /** Scope SERVICE: `namespace/hostname` of the services it applies to. */
  readonly services: readonly string[];
  readonly action: ActionName;
  readonly dryRun: boolean;
  readonly groups: readonly CompiledGroup[];
  readonly error: InvalidPolicyError | undefined;
}

/**
 * An Authorization ready to evaluate: its matchers built, and the decision and report
 * of each rule made in advance, so that evaluating allocates nothing.
 */
export class CompiledPolicy {
  /** The xDS resource name: `namespace/name`, under a waypoint prefix at a waypoint. */
  readonly key: string;
  /** `namespace/name` of the AuthorizationPolicy: what decisions and reports name. */
  readonly policy: string;
  /** The xDS version it was compiled from; an upsert of the same version reuses it. */
  readonly version: string;
  readonly namespace: string;
  readonly scope: securityV1.Scope;
  /** Scope SERVICE: `namespace/hostname` of the services it applies to. */
  readonly services: readonly string[];
  readonly action: ActionName;
  readonly dryRun: boolean;
  /** Why the resource could not be compiled; set only on a fail-closed policy. */
  readonly error: InvalidPolicyError | undefined;
  readonly #groups: readonly CompiledGroup[];
  readonly #decisions: readonly Decision[];
  readonly #reports: readonly PolicyMatch[];

  constructor(parts: CompiledPolicyParts) {
    this.key = parts.key;
    this.policy = parts.policy;
    this.services = parts.services;
    this.version = parts.version;
    this.namespace = parts.namespace;
    this.scope = parts.scope;
    this.action = parts.action;
    this.dryRun = parts.dryRun;
    this.error = parts.error;
    this.#groups = parts.groups;
    const allowed = parts.action !== 'DENY';
    const reason = parts.action === 'ALLOW' ? 'allow-policy-matched' : parts.error === undefined ? 'deny-policy-matched' : 'invalid-deny-policy';
    this.#decisions = parts.groups.map((_, rule) => decision(allowed, reason, parts.policy, parts.error === undefined ? rule : undefined));
    this.#reports = parts.groups.map((_, rule) => Object.freeze({ policy: parts.policy, action: parts.action, rule }));
  }

  /**
   * The index of the first rule the connection matches, or -1. As ztunnel's
   * `Authorization::matches` (src/rbac.rs): no rules match nothing; a rule with no
   * clauses matches everything; a clause with no matches holds.
   */
  firstMatch(c: ConnectionFacts): number {
    const groups = this.#groups;
    for (let g = 0; g < groups.length; g++) {
      const clauses = groups[g]!;
      let all = true;
      for (let k = 0; k < clauses.length && all; k++) {
        const matches = clauses[k]!;
        let any = matches.length === 0;
        for (let m = 0; m < matches.length && !any; m++) any = matches[m]!.matches(c);
        all = any;
      }
      if (all) return g;
    }
    return -1;
  }

  /** The decision this policy makes through rule `rule` (an index `firstMatch` returned). */
  decision(rule: number): Decision {
    return this.#decisions[rule]!;
  }

  /** The audit or dry-run report of rule `rule`. */
  report(rule: number): PolicyMatch {
    return this.#reports[rule]!;
  }
}

/** The proto action by name. */
export const ACTION_NAMES: Readonly<Record<number, ActionName>> = {
  [securityV1.Action.ALLOW]: 'ALLOW',
  [securityV1.Action.DENY]: 'DENY',
  [securityV1.Action.AUDIT]: 'AUDIT',
};
