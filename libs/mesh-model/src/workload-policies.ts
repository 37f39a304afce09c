import { selects } from './labels.js';
import type { AuthorizationPolicyEntry, MtlsMode, PeerAuthenticationEntry } from './policy.js';
import { compare } from './compare.js';
import type { StoreView } from './store.js';
import type { WorkloadSource } from './workload-source.js';

/** Whether ztunnel gets this policy at all (Istio's convertAuthorizationPolicy returns one). */
export function enforcedByZtunnel(policy: AuthorizationPolicyEntry): boolean {
  return !policy.targetsWaypoint && policy.action !== 'CUSTOM';
}

/**
 * Whether a selector policy applies to a workload: same namespace, or the root
 * namespace (which selects across the mesh), and labels matching (Istio's
 * buildWorkloadPolicies).
 */
export function policySelects(store: StoreView, policy: AuthorizationPolicyEntry, workload: WorkloadSource): boolean {
  return (
    policy.selector !== undefined &&
    (policy.namespace === workload.namespace || policy.namespace === store.settings.rootNamespace) &&
    selects(policy.selector, workload.labels)
  );
}

/** Keys (`namespace/name`, sorted) of the selector AuthorizationPolicies ztunnel applies to a workload. */
export function selectorPolicies(store: StoreView, workload: WorkloadSource): string[] {
  const keys: string[] = [];
  const namespaces = new Set([workload.namespace, store.settings.rootNamespace]);
  for (const namespace of namespaces) {
    for (const policy of store.authorizationPoliciesIn(namespace)) {
      if (enforcedByZtunnel(policy) && policySelects(store, policy, workload)) keys.push(policy.key);
    }
  }
  return keys.sort(compare);
}

/**
 * The mTLS mode a workload inherits: the first set mode of its workload, namespace and
 * mesh PeerAuthentications (UNSET passes down), PERMISSIVE when none is set.
 */
export function inheritedMode(modes: readonly (MtlsMode | undefined)[]): MtlsMode {
  return modes.find((mode): mode is MtlsMode => mode !== undefined && mode !== 'UNSET') ?? 'PERMISSIVE';
}

/**
 * The ports of a workload policy whose own mode departs from the inherited one: STRICT
 * ports under a lax parent, PERMISSIVE or DISABLE ports under a STRICT parent.
 */
export function portExceptions(policy: PeerAuthenticationEntry, parentStrict: boolean): number[] {
  return policy.portLevel.filter((p) => p.mode !== 'UNSET' && (p.mode === 'STRICT') !== parentStrict).map((p) => p.port);
}

/** What a workload's PeerAuthentications amount to, for ztunnel. */
export interface EffectivePeerAuthentication {
  /** Attach the static STRICT policy (deny any connection without a peer identity). */
  readonly strict: boolean;
  /** Attach this workload policy's converted form instead: it carries port-level exceptions. */
  readonly portLevel: PeerAuthenticationEntry | undefined;
}

/**
 * The mesh, namespace and workload policies that apply (the first of each level; Istio
 * takes the oldest), inherited through UNSET as Istio documents; a port-level setting
 * that departs from the inherited mode makes the workload reference its converted
 * policy, which then carries both the default and the exceptions.
 *
 * Istio's own conversion (ambient convertedSelectorPeerAuthentications) loses a STRICT
 * port, or the whole workload's STRICT default, in some UNSET combinations; Ambit keeps
 * the documented semantics instead, so that no combination is weaker than configured.
 */
export function effectivePeerAuthentication(store: StoreView, workload: WorkloadSource): EffectivePeerAuthentication {
  const root = store.settings.rootNamespace;
  const mesh = store.peerAuthenticationsIn(root).find((p) => p.selector === undefined);
  const own = store.peerAuthenticationsIn(workload.namespace);
  const namespace = workload.namespace === root ? undefined : own.find((p) => p.selector === undefined);
  const selected = workload.namespace === root ? undefined : own.find((p) => p.selector !== undefined && selects(p.selector, workload.labels));

  const strict = inheritedMode([selected?.mode, namespace?.mode, mesh?.mode]) === 'STRICT';
  if (selected === undefined || portExceptions(selected, strict).length === 0) return { strict, portLevel: undefined };
  return { strict: false, portLevel: selected };
}

/**
 * The namespace-level and mesh-level policies a workload policy's conversion merges
 * with (Istio's PeerAuthDerivedPolicies: the first without selector in its namespace and
 * in the root namespace).
 */
export function peerAuthenticationParents(
  store: StoreView,
  policy: PeerAuthenticationEntry,
): { readonly namespace: PeerAuthenticationEntry | undefined; readonly mesh: PeerAuthenticationEntry | undefined } {
  return {
    namespace: store.peerAuthenticationsIn(policy.namespace).find((p) => p.selector === undefined),
    mesh: store.peerAuthenticationsIn(store.settings.rootNamespace).find((p) => p.selector === undefined),
  };
}
