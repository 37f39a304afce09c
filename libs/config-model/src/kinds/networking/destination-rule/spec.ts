import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report, reportDuplicates } from '../../../schema/object.js';
import { checkWildcardDomain, isIpAddress } from '../../../schema/names.js';
import { labelMap } from '../../../schema/primitives.js';
import { matchLabelsSelector } from '../../common/selectors.js';
import { checkSubsetName } from '../destination.js';
import { checkConfigMapCredential } from './client-tls.js';
import { trafficPolicy, type TrafficPolicyOutput } from './traffic-policy.js';

/** networking Subset: a named set of the service's endpoints, selected by labels. */
export const subset = () =>
  obj({
    name: z.string(),
    labels: labelMap().optional(),
    trafficPolicy: trafficPolicy().optional(),
  }).superRefine((s, ctx) => {
    const err = checkSubsetName(s.name);
    if (err !== undefined) {
      report(ctx, IssueCode.Value, err, {
        path: ['name'],
        hint: 'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      });
    }
  });

const host = () =>
  z.string().superRefine((value, ctx) => {
    if (isIpAddress(value)) {
      report(ctx, IssueCode.Value, `host "${value}" is an IP address; a DestinationRule host is a service name`, {
        hint: 'e.g. reviews.prod.svc.cluster.local, or a host declared by a ServiceEntry',
      });
      return;
    }
    const err = checkWildcardDomain(value);
    if (err !== undefined) report(ctx, IssueCode.Value, err, { hint: 'e.g. reviews.prod.svc.cluster.local' });
  });

/** networking DestinationRule spec. */
export const destinationRuleSpec = () =>
  obj({
    host: host(),
    trafficPolicy: trafficPolicy().optional(),
    subsets: z.array(subset()).optional(),
    exportTo: z.array(z.string()).optional(),
    workloadSelector: matchLabelsSelector().optional(),
  }).superRefine((spec, ctx) => {
    reportDuplicates(ctx, spec.subsets ?? [], (s) => s.name, { path: (i) => ['subsets', i, 'name'], message: (name) => `duplicate subset name "${name}"` });
  });

export type DestinationRuleSpecOutput = z.output<ReturnType<typeof destinationRuleSpec>>;

/** Every traffic policy of a rule (its own, its subsets') with its path under `spec`. */
export function trafficPoliciesOf(spec: DestinationRuleSpecOutput): { policy: TrafficPolicyOutput; path: PropertyKey[] }[] {
  const out: { policy: TrafficPolicyOutput; path: PropertyKey[] }[] = [];
  if (spec.trafficPolicy !== undefined) out.push({ policy: spec.trafficPolicy, path: ['trafficPolicy'] });
  spec.subsets?.forEach((s, i) => {
    if (s.trafficPolicy !== undefined) out.push({ policy: s.trafficPolicy, path: ['subsets', i, 'trafficPolicy'] });
  });
  return out;
}

/** configmap:// credential names must stay in the rule's namespace (known only from metadata). */
export function checkCredentialNamespaces(ctx: z.RefinementCtx, spec: DestinationRuleSpecOutput, namespace: string | undefined): void {
  for (const { policy, path } of trafficPoliciesOf(spec)) {
    const tlsSettings: { tls: { credentialName?: string | undefined }; path: PropertyKey[] }[] = [];
    if (policy.tls !== undefined) tlsSettings.push({ tls: policy.tls, path: [...path, 'tls'] });
    policy.portLevelSettings?.forEach((p, i) => {
      if (p.tls !== undefined) tlsSettings.push({ tls: p.tls, path: [...path, 'portLevelSettings', i, 'tls'] });
    });
    for (const { tls, path: tlsPath } of tlsSettings) {
      if (tls.credentialName === undefined) continue;
      const err = checkConfigMapCredential(tls.credentialName, namespace);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['spec', ...tlsPath, 'credentialName'] });
    }
  }
}
