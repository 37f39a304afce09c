import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkLabelValue, checkQualifiedName } from '../../schema/names.js';
import { exclusive, isSet, obj, report, warn } from '../../schema/object.js';
import { apiGroup, kindName, nonEmpty } from '../../schema/primitives.js';

/**
 * How an Istio resource chooses the workloads it applies to: a workload selector
 * (by labels) or, for the policy kinds, a reference to the resource to attach to.
 */

interface SelectorLabelOptions {
  /** Istio's CRD limit on the number of labels. */
  readonly maxLabels: number;
  /**
   * Also check keys and values as Kubernetes labels. Istio checks only the length of a
   * value; Ambit applies Kubernetes' label syntax to the security and DestinationRule
   * selectors, where a malformed label can never match a workload.
   */
  readonly kubernetesSyntax: boolean;
}

/**
 * Selector labels as Istio's validation checks them (ValidateAlphaWorkloadSelector,
 * validateWorkloadSelector): no empty key and no wildcard, one issue per bad label.
 */
function selectorLabels(options: SelectorLabelOptions) {
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    const entries = Object.entries(labels);
    if (entries.length > options.maxLabels) report(ctx, IssueCode.Value, `must have at most ${options.maxLabels} labels`);
    for (const [key, value] of entries) {
      const path = [key];
      if (key === '') {
        report(ctx, IssueCode.Value, 'empty label key is not supported in a selector', { path });
      } else if (key.includes('*') || value.includes('*')) {
        report(ctx, IssueCode.Value, `wildcard is not supported in a selector (label "${key}")`, { path, hint: 'selectors match exact label values' });
      } else {
        const err = options.kubernetesSyntax
          ? (checkQualifiedName(key) ?? checkLabelValue(value))
          : value.length > 63
            ? `label value "${value}" is longer than 63 characters`
            : undefined;
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path });
      }
    }
  });
}

/** Istio warns about a selector without labels: it selects every workload in the namespace. */
function warnIfEmpty(ctx: z.RefinementCtx, labels: Readonly<Record<string, string>> | undefined, field: string): void {
  if (Object.keys(labels ?? {}).length === 0) {
    warn(ctx, IssueCode.Value, 'workload selector specified without labels: it applies to every workload in the namespace', {
      path: labels === undefined ? [] : [field],
      hint: `add ${field}, or remove the selector`,
    });
  }
}

/** networking WorkloadSelector (`{ labels }`), used by ServiceEntry and Sidecar. */
export const networkingWorkloadSelector = () =>
  obj({ labels: selectorLabels({ maxLabels: 256, kubernetesSyntax: false }).optional() }).superRefine((selector, ctx) =>
    warnIfEmpty(ctx, selector.labels, 'labels'),
  );

/**
 * istio.type.v1beta1.WorkloadSelector (`{ matchLabels }`), used by DestinationRule and
 * the security and telemetry kinds.
 */
export const matchLabelsSelector = () =>
  obj({ matchLabels: selectorLabels({ maxLabels: 4096, kubernetesSyntax: true }).optional() }).superRefine((selector, ctx) =>
    warnIfEmpty(ctx, selector.matchLabels, 'matchLabels'),
  );

/** The resources Istio lets a policy attach to (group as written, '' or core for the core group). */
const ALLOWED_TARGETS: readonly { group: string; kind: string }[] = [
  { group: 'core', kind: 'Service' },
  { group: 'networking.istio.io', kind: 'ServiceEntry' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
];

/** At most this many targetRefs (Istio's CRD limit). */
const MAX_TARGET_REFS = 16;

/**
 * istio.type.v1beta1.PolicyTargetReference (`targetRef`/`targetRefs`): the resource a
 * policy attaches to, with the rules of Istio's CRD and validation: name, kind and
 * group formats, no cross-namespace reference, and only the kinds a policy can attach to.
 */
const policyTargetReference = () =>
  obj({
    group: apiGroup().optional(),
    kind: kindName(),
    name: nonEmpty({ max: 253 }),
    namespace: z.string().optional(),
  }).superRefine((ref, ctx) => {
    if (isSet(ref.namespace)) {
      report(ctx, IssueCode.Value, 'cross-namespace references are not supported', {
        path: ['namespace'],
        hint: 'remove namespace; the target must be in the policy namespace',
      });
    }
    const group = ref.group === undefined || ref.group === '' ? 'core' : ref.group;
    if (!ALLOWED_TARGETS.some((t) => t.kind === ref.kind && t.group === group)) {
      const sameKind = ALLOWED_TARGETS.find((t) => t.kind === ref.kind);
      report(ctx, IssueCode.Value, `cannot attach to ${group}/${ref.kind}`, {
        path: ['kind'],
        hint:
          sameKind === undefined
            ? 'use a Service, a networking.istio.io ServiceEntry, or a gateway.networking.k8s.io Gateway or GatewayClass'
            : `set group: ${sameKind.group === 'core' ? '""' : sameKind.group}`,
      });
    }
  });

/** The `targetRef` and `targetRefs` fields of the policy kinds. */
export const targetRefFields = () => ({
  targetRef: policyTargetReference().optional(),
  targetRefs: z.array(policyTargetReference()).max(MAX_TARGET_REFS).optional(),
});

/** Istio allows at most one of selector, targetRef and targetRefs. */
export function checkOneTargetKind(spec: { selector?: unknown; targetRef?: unknown; targetRefs?: unknown }, ctx: z.RefinementCtx): void {
  exclusive(ctx, spec, ['selector', 'targetRef', 'targetRefs']);
}
