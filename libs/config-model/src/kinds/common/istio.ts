import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report } from '../../schema/object.js';
import { port } from '../../schema/primitives.js';
import type { WrittenMetadata } from '../define-kind.js';

/** Istio's served networking.istio.io versions; all share one schema. */
export const NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
export const SECURITY_VERSIONS = ['v1', 'v1beta1'] as const;
export const TELEMETRY_VERSIONS = ['v1', 'v1alpha1'] as const;

/** networking PortSelector: `{ number }`. */
export const portSelector = () => obj({ number: port().optional() });

/** The status block Istio writes on its resources; accepted on input, never acted on. */
export const istioStatus = () => z.record(z.string(), z.unknown()).optional();

/** Istio rejects the `istio.io/dry-run` annotation on every kind but AuthorizationPolicy. */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

export function rejectDryRunAnnotation(object: { metadata: WrittenMetadata }, ctx: z.RefinementCtx): void {
  if (object.metadata.annotations?.[DRY_RUN_ANNOTATION] !== undefined) {
    report(ctx, IssueCode.Value, `annotation ${DRY_RUN_ANNOTATION} is only supported on AuthorizationPolicy`, {
      path: ['metadata', 'annotations', DRY_RUN_ANNOTATION],
      hint: 'remove the annotation',
    });
  }
}
