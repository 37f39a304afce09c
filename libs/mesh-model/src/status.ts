import { analysedFacts } from './analysis/analysed-facts.js';
import { resolveTargets } from './analysis/attached-policy.js';
import { note } from './analysis/codes.js';
import { listed, workloadTarget, type AnalysisContext, type Facts } from './analysis/context.js';
import { compare } from './compare.js';
import { httpAttributes } from './http-attributes.js';
import { selects } from './labels.js';
import { captured } from './capture.js';
import type { MeshModel } from './mesh-model.js';
import type { AuthorizationPolicyEntry, PeerAuthenticationEntry } from './policy.js';
import type { ResourceId } from './resource-id.js';
import { serviceSelects } from './service-binding.js';
import type { ServiceSource } from './service-source.js';
import type { StatusNote } from './status-note.js';
import type { Entry, StoreView } from './store.js';
import { bindWaypoint, type WaypointBinding } from './waypoint-binding.js';
import { policySelects } from './workload-policies.js';
import type { WorkloadSource } from './workload-source.js';

/**
 * Something a resource contributes to: a workload, a service, (a policy) its own
 * authorization, or a gateway (an Istio Gateway a VirtualService binds to, a Gateway a
 * policy is attached to).
 */
export type StatusTarget =
  | { readonly kind: 'workload'; readonly uid: string }
  | { readonly kind: 'service'; readonly key: string }
  | { readonly kind: 'authorization'; readonly key: string }
  | { readonly kind: 'gateway'; readonly key: string };

/** The facts the status stage reports for one input resource. */
export interface ResourceStatus {
  readonly id: ResourceId;
  readonly appliedTo: readonly StatusTarget[];
  /** Findings, each with its stable code (docs/analysis.md). */
  readonly notes: readonly StatusNote[];
}

/**
 * What a stored resource applies to, or why nothing (Istio reports the same facts as
 * conditions: WaypointBound, ZtunnelAccepted, …, and istioctl analyze as messages).
 * Computed when asked, from the current model; the control plane's /debug/status and
 * `ambitctl analyze` both report exactly this.
 */
export function resourceStatus(model: MeshModel, id: ResourceId): ResourceStatus | undefined {
  const ctx: AnalysisContext = { model, store: model.view, config: model.config };
  const entry = ctx.store.entry(id);
  if (entry !== undefined) {
    const { appliedTo, notes } = facts(ctx, entry);
    return { id, appliedTo: dedupe(appliedTo).sort(byTarget), notes: [...ctx.store.notes(id), ...notes] };
  }
  const analysed = ctx.config.resource(id);
  if (analysed === undefined) return undefined;
  const { appliedTo, notes } = analysedFacts(ctx, analysed);
  return { id, appliedTo: dedupe(appliedTo).sort(byTarget), notes: dedupeNotes(notes) };
}

const TARGET_ORDER = { authorization: 0, gateway: 1, service: 2, workload: 3 } as const;
const targetKey = (t: StatusTarget): string => (t.kind === 'workload' ? t.uid : t.key);

/** Authorizations, services, workloads, each by name: status does not depend on discovery order. */
function byTarget(a: StatusTarget, b: StatusTarget): number {
  return TARGET_ORDER[a.kind] - TARGET_ORDER[b.kind] || compare(targetKey(a), targetKey(b));
}

function facts(ctx: AnalysisContext, entry: Entry): Facts {
  const { model, store } = ctx;
  switch (entry.kind) {
    case 'Namespace':
      return { appliedTo: [], notes: namespaceNotes(store, entry.namespace.name) };
    case 'Node':
      return { appliedTo: [...store.workloadsOn(entry.node.name)].map(workloadTarget), notes: [] };
    case 'Workloads':
      return workloadFacts(store, entry.workloads);
    case 'Services':
      return serviceFacts(store, entry.services, entry.workloads);
    case 'Gateway':
      return { appliedTo: entry.waypoint === undefined ? [] : waypointUsers(model, store, entry.key), notes: [] };
    case 'AuthorizationPolicy':
      return authorizationFacts(ctx, entry.policy);
    case 'PeerAuthentication':
      return peerAuthenticationFacts(store, entry.policy);
  }
}

/** A waypoint problem of the object's own label; the namespace's label is reported on the namespace. */
function ownWaypointNote(binding: WaypointBinding): StatusNote[] {
  return binding.kind === 'error' && !binding.fromNamespace ? [note(binding.reason, binding.message, { path: 'metadata.labels' })] : [];
}

function namespaceNotes(store: StoreView, namespace: string): StatusNote[] {
  // A namespace waypoint may rightly serve only services or only workloads; it is a problem when it serves neither.
  const forServices = bindWaypoint(store, 'service', {}, namespace);
  const forWorkloads = bindWaypoint(store, 'workload', {}, namespace);
  if (forServices.kind !== 'error' || forWorkloads.kind !== 'error') return [];
  return [note(forServices.reason, forServices.message, { path: 'metadata.labels' })];
}

function workloadFacts(store: StoreView, workloads: readonly WorkloadSource[]): Facts {
  const notes: StatusNote[] = [];
  for (const w of workloads) {
    if (w.kind === 'Pod' && !w.nativeHbone && !captured(store, w)) notes.push(note('NotCaptured', notCapturedMessage(store, w)));
    notes.push(...ownWaypointNote(bindWaypoint(store, 'workload', w.waypointLabels, w.namespace)));
  }
  return { appliedTo: workloads.map(workloadTarget), notes };
}

function notCapturedMessage(store: StoreView, w: WorkloadSource): string {
  if (w.enrolment.kind === 'pod' && w.enrolment.sidecar) return 'pod runs an Istio sidecar; ztunnel does not capture it';
  if (w.enrolment.kind === 'pod' && w.enrolment.mode !== undefined) return `pod opts out with istio.io/dataplane-mode=${w.enrolment.mode}`;
  return store.namespace(w.namespace) === undefined
    ? `namespace ${w.namespace} is not known, so not enrolled in the ambient mesh`
    : `namespace ${w.namespace} is not labelled istio.io/dataplane-mode=ambient`;
}

function serviceFacts(store: StoreView, services: readonly ServiceSource[], endpoints: readonly WorkloadSource[]): Facts {
  const appliedTo: StatusTarget[] = [];
  const notes: StatusNote[] = [];
  let selector = false;
  let selected = 0;
  for (const service of services) {
    const owner = store.service(service.key);
    if (owner !== service) {
      notes.push(note('HostConflict', `${service.key} is already defined by ${owner?.kind ?? 'another'} ${owner?.namespace ?? ''}/${owner?.name ?? ''}`));
      continue;
    }
    appliedTo.push({ kind: 'service', key: service.key });
    notes.push(...ownWaypointNote(bindWaypoint(store, 'service', service.waypointLabels, service.namespace)));
    if (service.selector === undefined) continue;
    selector = true;
    for (const w of store.workloadsIn(service.namespace)) {
      if (serviceSelects(service, w)) {
        selected++;
        appliedTo.push(workloadTarget(w));
      }
    }
  }
  appliedTo.push(...endpoints.map(workloadTarget));
  if (selector && selected === 0) notes.push(note('SelectsNothing', 'the selector matches no pod or WorkloadEntry in the namespace'));
  return { appliedTo: dedupe(appliedTo), notes: dedupeNotes(notes) };
}

function waypointUsers(model: MeshModel, store: StoreView, key: string): StatusTarget[] {
  const users: StatusTarget[] = [];
  for (const serviceKey of store.serviceKeys()) {
    const waypoint = model.service(serviceKey)?.waypoint;
    if (waypoint?.kind === 'bound' && waypoint.waypoint.key === key) users.push({ kind: 'service', key: serviceKey });
  }
  for (const w of store.workloads()) {
    const binding = bindWaypoint(store, 'workload', w.waypointLabels, w.namespace);
    if (binding.kind === 'bound' && binding.waypoint.key === key) users.push(workloadTarget(w));
  }
  return users;
}

function authorizationFacts(ctx: AnalysisContext, policy: AuthorizationPolicyEntry): Facts {
  const store = ctx.store;
  if (policy.targetsWaypoint) {
    // Enforced by the waypoint (or gateway) of each target, never by ztunnel.
    const { appliedTo, notes, withoutWaypoint } = resolveTargets(ctx, policy.namespace, policy.targets);
    if (withoutWaypoint.length > 0) {
      notes.push(
        note('AuthorizationWithoutWaypoint', `${listed(withoutWaypoint)} ${withoutWaypoint.length === 1 ? 'has' : 'have'} no waypoint, and ztunnel does not enforce policies attached with targetRefs: this policy is enforced nowhere there`, {
          path: policy.targets[0]?.path ?? 'spec',
          hint: 'label the service or its namespace istio.io/use-waypoint=<waypoint>, or use a selector for an L4 policy that ztunnel enforces',
        }),
      );
    }
    return { appliedTo, notes };
  }
  if (policy.action === 'CUSTOM') {
    return { appliedTo: [], notes: [note('Unsupported', 'ztunnel does not support the CUSTOM action', { path: 'spec.action' })] };
  }
  const appliedTo: StatusTarget[] = [{ kind: 'authorization', key: policy.key }];
  const notes: StatusNote[] = [];
  if (policy.selector !== undefined) {
    for (const w of store.workloads()) if (policySelects(store, policy, w)) appliedTo.push(workloadTarget(w));
    if (appliedTo.length === 1) notes.push(note('SelectsNothing', 'the selector matches no workload', { path: 'spec.selector' }));
  }
  const http = [...new Set(policy.rules.flatMap(httpAttributes))].sort();
  if (http.length > 0) notes.push(note('HttpAttributesAtL4', httpMessage(policy, http), { path: 'spec.rules', hint: 'attach the policy to a waypoint with targetRefs to enforce the HTTP rules' }));
  return { appliedTo, notes };
}

/** Istio's warning, word for word, so that users find it in Istio's documentation. */
function httpMessage(policy: AuthorizationPolicyEntry, attributes: readonly string[]): string {
  const effect =
    policy.action === 'DENY'
      ? 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.'
      : 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';
  return `ztunnel does not support HTTP attributes (found: ${attributes.join(', ')}). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${effect}`;
}

function peerAuthenticationFacts(store: StoreView, policy: PeerAuthenticationEntry): Facts {
  const root = store.settings.rootNamespace;
  const notes: StatusNote[] = [];
  const levelPeers = store.peerAuthenticationsIn(policy.namespace);
  if (policy.selector === undefined) {
    if (policy.portLevel.length > 0) notes.push(note('Ignored', 'portLevelMtls needs a selector; ambient ignores it on namespace- and mesh-wide policies', { path: 'spec.portLevelMtls' }));
    const first = levelPeers.find((p) => p.selector === undefined);
    if (first !== policy) {
      notes.push(note('PeerAuthenticationSuperseded', `${first?.key ?? ''} applies to this namespace instead (one namespace-wide policy per namespace)`));
      return { appliedTo: [], notes };
    }
    const workloads = policy.namespace === root ? store.workloads() : store.workloadsIn(policy.namespace);
    return { appliedTo: [...workloads].map(workloadTarget), notes };
  }
  if (policy.namespace === root) {
    notes.push(note('Ignored', 'ambient ignores selector PeerAuthentications in the root namespace', { path: 'spec.selector' }));
    return { appliedTo: [], notes };
  }
  const appliedTo: StatusTarget[] = [];
  let superseded = 0;
  for (const w of store.workloadsIn(policy.namespace)) {
    if (!selects(policy.selector, w.labels)) continue;
    const winner = levelPeers.find((p) => p.selector !== undefined && selects(p.selector, w.labels));
    if (winner === policy) appliedTo.push(workloadTarget(w));
    else superseded++;
  }
  if (superseded > 0) notes.push(note('PeerAuthenticationSuperseded', `another workload policy applies instead to ${superseded} selected workload(s)`));
  if (appliedTo.length === 0 && superseded === 0) notes.push(note('SelectsNothing', 'the selector matches no workload', { path: 'spec.selector' }));
  return { appliedTo, notes };
}

function dedupe(targets: readonly StatusTarget[]): StatusTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.kind}:${targetKey(t)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeNotes(notes: readonly StatusNote[]): StatusNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.code}:${n.path ?? ''}:${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
