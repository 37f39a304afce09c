import { securityV1 } from '@ambit/xds';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { PolicyBucket, PolicyView } from '../policy/policy-store.js';
import { ConnectionFacts, type Connection } from './connection.js';
import { decision, MALFORMED_CONNECTION, NO_ALLOW_POLICIES, NO_ALLOW_POLICY_MATCHED, type Decision, type PolicyMatch } from './decision.js';
import { RequestFacts, type HttpRequest } from './request.js';

const NONE: readonly PolicyMatch[] = Object.freeze([]);

/**
 * ztunnel's L4 authorization (`assert_rbac`, src/state.rs), over the policies of a
 * PolicyView. The policies that apply to a destination are the NAMESPACE-scoped ones
 * of its namespace, the GLOBAL ones, and those it names (`authorization_policies`), in
 * that order. Then, following Istio's documented order
 * (istio.io/latest/docs/reference/config/security/authorization-policy/):
 *
 * 1. if any DENY policy matches, the connection is refused;
 * 2. if no ALLOW policy applies, it is allowed;
 * 3. if any ALLOW policy matches, it is allowed;
 * 4. otherwise it is refused.
 *
 * AUDIT policies, and dry-run policies of any action, never decide: their matches are
 * reported on the decision. Ambit adds two refusals ztunnel does not make: a named
 * policy the store does not hold (ztunnel skips it), and an address that does not parse.
 *
 * `decideHttp` is the same order at a waypoint, over an HTTP request and the policies
 * attached to the waypoint (WAYPOINT scope) and to the request's service (SERVICE
 * scope), as Envoy's RBAC filter applies what Istio generates for them.
 *
 * Neither allocates unless it has audit or dry-run matches to report (or a policy is
 * missing): decisions are precomputed per policy rule, and the attributes are parsed
 * into buffers the engine reuses. One engine serves one thread; both methods are
 * synchronous and not re-entrant.
 */
export class AuthorizationEngine {
  readonly #policies: PolicyView;
  readonly #facts = new ConnectionFacts();
  readonly #httpFacts = new ConnectionFacts();
  readonly #request = new RequestFacts();

  constructor(policies: PolicyView) {
    this.#policies = policies;
    this.#httpFacts.request = this.#request;
  }

  /**
   * Authorizes an HTTP request at a waypoint. A DENY answers 403 with the body
   * `RBAC: access denied`, as Envoy does. Policies with HTTP attributes are evaluated in
   * full; `requestPrincipals` and `request.auth.*` see a value only with `request.jwt`.
   */
  decideHttp(request: HttpRequest): Decision {
    const facts = this.#httpFacts;
    if (!facts.load(request) || !this.#request.load(request)) return MALFORMED_CONNECTION;
    const waypoint = this.#policies.waypoint();
    const service = request.service === undefined ? EMPTY_BUCKET : this.#policies.service(request.service);
    const decided =
      firstDecision(facts, service.deny) ??
      firstDecision(facts, waypoint.deny) ??
      (service.allow.length + waypoint.allow.length === 0 ? NO_ALLOW_POLICIES : (firstDecision(facts, service.allow) ?? firstDecision(facts, waypoint.allow) ?? NO_ALLOW_POLICY_MATCHED));
    const audits = reportAll(facts, waypoint.audit, reportAll(facts, service.audit, undefined));
    const dryRun = reportAll(facts, waypoint.dryRun, reportAll(facts, service.dryRun, undefined));
    return withReports(decided, audits, dryRun);
  }

  decide(connection: Connection): Decision {
    const facts = this.#facts;
    if (!facts.load(connection)) return MALFORMED_CONNECTION;
    const { namespace, authorizationPolicies: keys } = connection.destination;
    const local = this.#policies.namespace(namespace);
    const global = this.#policies.global();
    const decided = this.#enforce(facts, local, global, keys, namespace);

    let audits = reportAll(facts, local.audit, undefined);
    audits = reportAll(facts, global.audit, audits);
    let dryRun = reportAll(facts, local.dryRun, undefined);
    dryRun = reportAll(facts, global.dryRun, dryRun);
    for (let i = 0; i < keys.length; i++) {
      const policy = this.#policies.get(keys[i]!);
      if (policy === undefined || !reachedByName(policy, namespace)) continue;
      if (policy.dryRun) dryRun = report(facts, policy, dryRun);
      else if (policy.action === 'AUDIT') audits = report(facts, policy, audits);
    }
    return withReports(decided, audits, dryRun);
  }

  #enforce(facts: ConnectionFacts, local: PolicyBucket, global: PolicyBucket, keys: readonly string[], namespace: string): Decision {
    // 1. Any matching DENY refuses.
    const denied = firstDecision(facts, local.deny) ?? firstDecision(facts, global.deny);
    if (denied !== undefined) return denied;
    let allowPolicies = local.allow.length + global.allow.length;
    for (let i = 0; i < keys.length; i++) {
      const policy = this.#policies.get(keys[i]!);
      if (policy === undefined) return decision(false, 'policy-missing', keys[i]);
      if (!reachedByName(policy, namespace) || policy.dryRun) continue;
      if (policy.action === 'ALLOW') allowPolicies++;
      if (policy.action !== 'DENY') continue;
      const rule = policy.firstMatch(facts);
      if (rule >= 0) return policy.decision(rule);
    }
    // 2. No ALLOW policy: allowed.
    if (allowPolicies === 0) return NO_ALLOW_POLICIES;
    // 3. Any matching ALLOW admits.
    const allowed = firstDecision(facts, local.allow) ?? firstDecision(facts, global.allow);
    if (allowed !== undefined) return allowed;
    for (let i = 0; i < keys.length; i++) {
      const policy = this.#policies.get(keys[i]!)!;
      if (!reachedByName(policy, namespace) || policy.dryRun || policy.action !== 'ALLOW') continue;
      const rule = policy.firstMatch(facts);
      if (rule >= 0) return policy.decision(rule);
    }
    // 4. Otherwise refused.
    return NO_ALLOW_POLICY_MATCHED;
  }
}

/**
 * Whether a policy a workload names is evaluated through its name: not when it is also
 * in a bucket already walked (a GLOBAL one, or a NAMESPACE one of the destination's
 * namespace), so that none is evaluated twice.
 */
function reachedByName(policy: CompiledPolicy, namespace: string): boolean {
  return policy.scope === securityV1.Scope.WORKLOAD_SELECTOR || (policy.scope === securityV1.Scope.NAMESPACE && policy.namespace !== namespace);
}

const EMPTY_BUCKET: PolicyBucket = Object.freeze({ deny: [], allow: [], audit: [], dryRun: [] });

function withReports(decided: Decision, audits: PolicyMatch[] | undefined, dryRun: PolicyMatch[] | undefined): Decision {
  if (audits === undefined && dryRun === undefined) return decided;
  return Object.freeze({ ...decided, audits: audits ?? NONE, dryRun: dryRun ?? NONE });
}

function firstDecision(facts: ConnectionFacts, policies: readonly CompiledPolicy[]): Decision | undefined {
  for (let i = 0; i < policies.length; i++) {
    const rule = policies[i]!.firstMatch(facts);
    if (rule >= 0) return policies[i]!.decision(rule);
  }
  return undefined;
}

function reportAll(facts: ConnectionFacts, policies: readonly CompiledPolicy[], into: PolicyMatch[] | undefined): PolicyMatch[] | undefined {
  let out = into;
  for (let i = 0; i < policies.length; i++) out = report(facts, policies[i]!, out);
  return out;
}

function report(facts: ConnectionFacts, policy: CompiledPolicy, into: PolicyMatch[] | undefined): PolicyMatch[] | undefined {
  const rule = policy.firstMatch(facts);
  if (rule < 0) return into;
  const out = into ?? [];
  out.push(policy.report(rule));
  return out;
}
