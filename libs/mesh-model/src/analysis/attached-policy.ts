import type { RequestAuthenticationResource, TelemetryResource } from '@ambit/config-model';
import { captured } from '../capture.js';
import { compare } from '../compare.js';
import type { StatusNote } from '../status-note.js';
import type { StatusTarget } from '../status.js';
import { note, type CodeName } from './codes.js';
import { targetRefsOf, type AttachedTarget } from './target-refs.js';
import { hasWaypoint, listed, selectedWorkloads, storedService, workloadTarget, type AnalysisContext, type Facts } from './context.js';

export interface ResolvedTargets {
  readonly appliedTo: StatusTarget[];
  readonly notes: StatusNote[];
  /** Hostnames of targeted services that have no waypoint to enforce the policy. */
  readonly withoutWaypoint: string[];
}

/**
 * What a policy attached with targetRefs reaches: a Service or ServiceEntry (enforced by
 * its waypoint, so one without is reported), or a Gateway (the waypoint or gateway
 * itself). A GatewayClass applies to every waypoint of the class.
 */
export function resolveTargets(ctx: AnalysisContext, namespace: string, refs: readonly AttachedTarget[]): ResolvedTargets {
  const resolved: ResolvedTargets = { appliedTo: [], notes: [], withoutWaypoint: [] };
  for (const { ref, path } of refs) {
    const group = ref.group === undefined || ref.group === 'core' ? '' : ref.group;
    if (ref.kind === 'GatewayClass') continue;
    if (ref.kind === 'Gateway') {
      const key = `${namespace}/${ref.name}`;
      if (ctx.store.hasGateway(key)) resolved.appliedTo.push({ kind: 'gateway', key });
      else resolved.notes.push(note('TargetNotFound', `Gateway ${key} does not exist`, { path: `${path}.name` }));
      continue;
    }
    const hosts = ctx.config.hostsOf({ group, kind: ref.kind, namespace, name: ref.name });
    if (hosts.length === 0) {
      resolved.notes.push(note('TargetNotFound', `${ref.kind} ${namespace}/${ref.name} does not exist`, { path: `${path}.name`, hint: 'a targetRef names a resource in the policy namespace' }));
      continue;
    }
    for (const host of hosts) {
      const service = storedService(ctx, host);
      if (service !== undefined && hasWaypoint(ctx, service)) resolved.appliedTo.push({ kind: 'service', key: service.key });
      else resolved.withoutWaypoint.push(host.hostname);
    }
  }
  resolved.withoutWaypoint.sort(compare);
  return resolved;
}

/** The hint of every "no waypoint" finding about an attached policy. */
export const WAYPOINT_HINT = 'label the service or its namespace istio.io/use-waypoint=<waypoint>, or attach the policy to a waypoint Gateway';

/**
 * RequestAuthentication and Telemetry: attached with targetRefs, their targets exist and
 * have a waypoint; with a selector, it selects workloads, and not ambient ones, to
 * which only ztunnel (which applies neither) is in the path. Without either they apply
 * to the waypoints and gateways of their namespace (of the mesh, from the root namespace).
 */
export function attachedPolicyFacts(ctx: AnalysisContext, policy: RequestAuthenticationResource | TelemetryResource): Facts {
  const { namespace } = policy.metadata;
  const spec = policy.spec ?? {};
  const refs = targetRefsOf(spec);
  const l7: CodeName = 'L7PolicyWithoutWaypoint';
  if (refs.length > 0) {
    const { appliedTo, notes, withoutWaypoint } = resolveTargets(ctx, namespace, refs);
    if (withoutWaypoint.length > 0) {
      notes.push(note(l7, `${listed(withoutWaypoint)} ${withoutWaypoint.length === 1 ? 'has' : 'have'} no waypoint: ztunnel does not apply ${policy.kind}, so it reaches no proxy there`, { path: refs[0]?.path ?? 'spec', hint: WAYPOINT_HINT }));
    }
    return { appliedTo, notes };
  }
  if (spec.selector === undefined) return { appliedTo: [], notes: [] };
  const selected = selectedWorkloads(ctx.store, namespace, spec.selector.matchLabels ?? {});
  const notes: StatusNote[] = [];
  if (selected.length === 0) notes.push(note('SelectsNothing', 'the selector matches no workload', { path: 'spec.selector' }));
  const ambient = selected.filter((w) => captured(ctx.store, w)).map((w) => `${w.namespace}/${w.name}`);
  if (ambient.length > 0) {
    notes.push(
      note(l7, `${listed(ambient.sort(compare))} ${ambient.length === 1 ? 'is' : 'are'} in the ambient mesh, where ztunnel does not apply ${policy.kind}`, {
        path: 'spec.selector',
        hint: 'attach it to the waypoint with targetRefs instead of a selector',
      }),
    );
  }
  return { appliedTo: selected.map(workloadTarget), notes };
}
