import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { report } from '../../schema/object.js';
import { policyTargetReference } from '../common/istio.js';

const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** The resources Istio lets a policy attach to (group as written, '' or core for the core group). */
const ALLOWED_TARGETS: readonly { group: string; kind: string }[] = [
  { group: 'core', kind: 'Service' },
  { group: 'networking.istio.io', kind: 'ServiceEntry' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
];

/** At most this many targetRefs (Istio's CRD limit). */
export const MAX_TARGET_REFS = 16;

/**
 * A policy's `targetRef`/`targetRefs` entry with the checks Istio's CRD and
 * validation add to istio.type.v1beta1.PolicyTargetReference: name, kind and group
 * formats, no cross-namespace reference, and only the kinds a policy can attach to.
 */
export const checkedTargetRef = () =>
  policyTargetReference().superRefine((ref, ctx) => {
    const group = ref.group ?? '';
    if (group.length > 253 || !GROUP.test(group)) {
      report(ctx, IssueCode.Value, `group "${group}" must be empty or a DNS subdomain (lower case)`, { path: ['group'] });
    }
    if (ref.kind.length === 0 || ref.kind.length > 63 || !KIND.test(ref.kind)) {
      report(ctx, IssueCode.Value, `kind "${ref.kind}" is not a valid kind name`, { path: ['kind'] });
    }
    if (ref.name.length > 253) report(ctx, IssueCode.Value, 'name must be at most 253 characters', { path: ['name'] });
    if (ref.namespace !== undefined && ref.namespace !== '') {
      report(ctx, IssueCode.Value, 'cross-namespace references are not supported', {
        path: ['namespace'],
        hint: 'remove namespace; the target must be in the policy namespace',
      });
    }
    const canonical = group === '' ? 'core' : group;
    if (!ALLOWED_TARGETS.some((t) => t.kind === ref.kind && t.group === canonical)) {
      const sameKind = ALLOWED_TARGETS.find((t) => t.kind === ref.kind);
      report(ctx, IssueCode.Value, `cannot attach to ${group === '' ? 'core' : group}/${ref.kind}`, {
        path: ['kind'],
        hint:
          sameKind === undefined
            ? 'use a Service, a networking.istio.io ServiceEntry, or a gateway.networking.k8s.io Gateway or GatewayClass'
            : `set group: ${sameKind.group === 'core' ? '""' : sameKind.group}`,
      });
    }
  });

/** The `selector`, `targetRef` and `targetRefs` fields shared by the policy kinds. */
export const targetRefFields = () => ({
  targetRef: checkedTargetRef().optional(),
  targetRefs: z.array(checkedTargetRef()).max(MAX_TARGET_REFS).optional(),
});

/** Istio allows at most one of selector, targetRef and targetRefs. */
export function checkOneTargetKind(
  spec: { selector?: unknown; targetRef?: unknown; targetRefs?: unknown },
  ctx: z.RefinementCtx,
): void {
  const set = (['selector', 'targetRef', 'targetRefs'] as const).filter((f) => spec[f] !== undefined);
  if (set.length > 1) {
    report(ctx, IssueCode.Conflict, `only one of selector, targetRef and targetRefs may be set, found ${set.join(' and ')}`, {
      path: [set[1]!],
    });
  }
}

/** Istio rejects the `istio.io/dry-run` annotation on every kind but AuthorizationPolicy. */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/** The annotations of a validated object (defineKind's refine types metadata as name and namespace only). */
export function annotationsOf(object: { metadata: object }): Readonly<Record<string, string>> {
  return (object.metadata as { annotations?: Record<string, string> }).annotations ?? {};
}

export function rejectDryRunAnnotation(object: { metadata: object }, ctx: z.RefinementCtx): void {
  if (annotationsOf(object)[DRY_RUN_ANNOTATION] !== undefined) {
    report(ctx, IssueCode.Value, `annotation ${DRY_RUN_ANNOTATION} is only supported on AuthorizationPolicy`, {
      path: ['metadata', 'annotations', DRY_RUN_ANNOTATION],
      hint: 'remove the annotation',
    });
  }
}
