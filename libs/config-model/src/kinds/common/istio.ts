import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report } from '../../schema/object.js';
import { labelMap, port } from '../../schema/primitives.js';

/** Istio's served networking.istio.io versions; all share one schema. */
export const NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
export const SECURITY_VERSIONS = ['v1', 'v1beta1'] as const;
export const TELEMETRY_VERSIONS = ['v1', 'v1alpha1'] as const;

/**
 * istio.type.v1beta1.WorkloadSelector, used by the security and telemetry APIs and
 * Sidecar. Istio refuses wildcards in selector labels and empty keys.
 */
export const matchLabelsSelector = () =>
  obj({
    matchLabels: labelMap()
      .superRefine((labels, ctx) => {
        for (const [key, value] of Object.entries(labels)) {
          if (key.includes('*') || value.includes('*')) {
            report(ctx, IssueCode.Value, `wildcard is not supported in selector (label "${key}")`, { path: [key] });
          }
        }
      })
      .optional(),
  });

/**
 * istio.type.v1beta1.PolicyTargetReference (`targetRef`/`targetRefs`): the Gateway API
 * resource a policy attaches to.
 */
export const policyTargetReference = () =>
  obj({
    group: z.string().optional(),
    kind: z.string(),
    name: z.string().min(1),
    namespace: z.string().optional(),
  });

/** networking PortSelector: `{ number }`. */
export const portSelector = () => obj({ number: port().optional() });

/** The status block Istio writes on its resources; accepted on input, never acted on. */
export const istioStatus = () => z.record(z.string(), z.unknown()).optional();
