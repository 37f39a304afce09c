import type { DestinationRuleResource } from '@ambit/config-model';
import { compare } from '../compare.js';
import { selects } from '../labels.js';
import type { ServiceSource } from '../service-source.js';
import type { WorkloadSource } from '../workload-source.js';
import { note } from './codes.js';
import { hasWaypoint, listed, serviceWorkloads, storedService, type AnalysisContext, type Facts } from './context.js';
import { resolveHost, visibleFrom } from './hosts.js';

/**
 * A DestinationRule: its host is a service its namespace sees (IST0174), each subset
 * selects some workload of it (IST0173), a waypoint applies it (ztunnel ignores
 * DestinationRules), and nothing of it is lost when Istio merges it with another rule
 * for the same host in the same namespace.
 */
export function destinationRuleFacts(ctx: AnalysisContext, dr: DestinationRuleResource): Facts {
  const facts: Facts = { appliedTo: [], notes: [] };
  const namespace = dr.metadata.namespace;
  const host = resolveHost(dr.spec.host, namespace, ctx.store.settings.clusterDomain);
  const matches = ctx.config.hostsOverlapping(host).filter((h) => visibleFrom(h.exportTo, h.namespace, namespace));
  if (matches.length === 0) {
    facts.notes.push(
      note('DestinationRuleHostNotFound', `host ${host} matches no Service or ServiceEntry visible in namespace ${namespace}`, {
        path: 'spec.host',
        hint: dr.spec.host.includes('.') ? 'check the name; a host outside the mesh needs a ServiceEntry' : `a short name is looked up in the DestinationRule's namespace; use the service's full name for another namespace`,
      }),
    );
  }
  const services = matches.map((h) => storedService(ctx, h)).filter((s): s is ServiceSource => s !== undefined);
  facts.appliedTo.push(...services.map((s) => ({ kind: 'service' as const, key: s.key })));
  const withoutWaypoint = [...new Set(services.filter((s) => !hasWaypoint(ctx, s)).map((s) => s.hostname))].sort(compare);
  // A rule with a workloadSelector configures the selected (gateway) proxies, not a service's waypoint.
  if (withoutWaypoint.length > 0 && dr.spec.workloadSelector === undefined) {
    facts.notes.push(
      note('DestinationRuleWithoutWaypoint', `${listed(withoutWaypoint)} ${withoutWaypoint.length === 1 ? 'uses' : 'use'} no waypoint: ztunnel ignores DestinationRules, so only gateways apply this one`, {
        path: 'spec.host',
        hint: 'label the service or its namespace istio.io/use-waypoint=<waypoint>',
      }),
    );
  }
  checkSubsets(ctx, dr, services, facts);
  checkMerge(ctx, dr, host, facts);
  return facts;
}

function checkSubsets(ctx: AnalysisContext, dr: DestinationRuleResource, services: readonly ServiceSource[], facts: Facts): void {
  const known = services.map((s) => serviceWorkloads(ctx.store, s)).filter((ws): ws is WorkloadSource[] => ws !== undefined);
  if (known.length === 0) return;
  const workloads = known.flat();
  (dr.spec.subsets ?? []).forEach((subset, i) => {
    const labels = subset.labels ?? {};
    if (Object.keys(labels).length === 0 || workloads.some((w) => selects(labels, w.labels))) return;
    const written = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    facts.notes.push(
      note('SubsetSelectsNothing', `subset "${subset.name}" (${written}) matches no workload of ${listed(services.map((s) => s.hostname))}: requests routed to it fail with 503 (no healthy upstream)`, {
        path: `spec.subsets[${i}].labels`,
        hint: 'fix the labels, deploy the workloads, or remove the subset',
      }),
    );
  });
}

/**
 * Istio merges the DestinationRules of one namespace for one host (without
 * workloadSelector): the first keeps its trafficPolicy, later ones only add subsets of
 * new names. Istio's first is the oldest; Ambit's, the first by name.
 */
function checkMerge(ctx: AnalysisContext, dr: DestinationRuleResource, host: string, facts: Facts): void {
  if (dr.spec.workloadSelector !== undefined) return;
  const { namespace, name } = dr.metadata;
  const earlier = ctx.config
    .destinationRulesFor(host)
    .map((r) => r.resource)
    .filter((r) => r.metadata.namespace === namespace && r.spec.workloadSelector === undefined && resolveHost(r.spec.host, namespace, ctx.store.settings.clusterDomain) === host && compare(r.metadata.name, name) < 0);
  const first = earlier[0];
  if (first === undefined) return;
  if (dr.spec.trafficPolicy !== undefined) {
    facts.notes.push(
      note('DestinationRuleMerged', `DestinationRule ${namespace}/${first.metadata.name} also configures ${host}; rules for one host are merged and only the first one's trafficPolicy is used, so this one is ignored`, {
        path: 'spec.trafficPolicy',
        hint: 'keep one DestinationRule per host',
      }),
    );
  }
  (dr.spec.subsets ?? []).forEach((subset, i) => {
    const owner = earlier.find((r) => (r.spec.subsets ?? []).some((s) => s.name === subset.name));
    if (owner === undefined) return;
    facts.notes.push(
      note('DestinationRuleMerged', `subset "${subset.name}" of ${host} is already defined by DestinationRule ${namespace}/${owner.metadata.name}; this definition is ignored`, {
        path: `spec.subsets[${i}].name`,
      }),
    );
  });
}
