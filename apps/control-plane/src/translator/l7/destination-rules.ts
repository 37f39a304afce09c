import type { DestinationRuleResource } from '@ambit/config-model';
import { compare, visibleFrom, type MeshModel } from '@ambit/mesh-model';
import type { TrafficPolicy } from './traffic-policy.js';

type Subset = NonNullable<DestinationRuleResource['spec']['subsets']>[number];

/** The DestinationRule configuration that applies to one host, after Istio's merge. */
export interface EffectiveRule {
  readonly trafficPolicy: TrafficPolicy | undefined;
  /** By name; the first definition of a name wins. */
  readonly subsets: ReadonlyMap<string, Subset>;
}

/**
 * The DestinationRules for a service's host, as its waypoint and gateways use them:
 * rules visible from the service's namespace and without workloadSelector (those
 * configure chosen proxies, not a service); from the service's own namespace, else the
 * root namespace, else any (Istio looks in the proxy's namespace first, which for a
 * shared cluster is the service's); the most specific host among them; and the rules
 * of that namespace for that host merged as Istio merges them (the first by name keeps
 * its trafficPolicy, later ones only add subsets of new names).
 */
export function effectiveRule(config: MeshModel['config'], host: string, serviceNamespace: string, rootNamespace: string): EffectiveRule | undefined {
  const candidates = config
    .destinationRulesFor(host)
    .filter((r) => r.resource.spec.workloadSelector === undefined && visibleFrom(r.resource.spec.exportTo ?? [], r.resource.metadata.namespace, serviceNamespace));
  if (candidates.length === 0) return undefined;
  const inNamespace = (ns: string) => candidates.filter((r) => r.resource.metadata.namespace === ns);
  const chosen = [inNamespace(serviceNamespace), inNamespace(rootNamespace), candidates].find((list) => list.length > 0)!;
  const namespace = chosen[0]!.resource.metadata.namespace;
  // Exact before wildcard; a longer wildcard is more specific.
  const best = chosen.map((r) => r.host).sort((a, b) => specificity(b, host) - specificity(a, host) || compare(a, b))[0]!;
  const rules = chosen.filter((r) => r.host === best && r.resource.metadata.namespace === namespace).map((r) => r.resource);
  const subsets = new Map<string, Subset>();
  for (const rule of rules) for (const subset of rule.spec.subsets ?? []) if (!subsets.has(subset.name)) subsets.set(subset.name, subset);
  return { trafficPolicy: rules[0]!.spec.trafficPolicy, subsets };
}

function specificity(pattern: string, host: string): number {
  return pattern === host ? Number.MAX_SAFE_INTEGER : pattern.length;
}
