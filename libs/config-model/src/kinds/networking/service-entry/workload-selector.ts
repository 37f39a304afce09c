import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report } from '../../../schema/object.js';

/**
 * networking WorkloadSelector (`{ labels }`), used by ServiceEntry and Sidecar. Istio
 * refuses empty keys and wildcards; an empty selector is accepted (Istio only warns
 * that it then applies to every workload in the namespace).
 */
export const networkingWorkloadSelector = () =>
  obj({
    labels: z
      .record(z.string(), z.string().max(63))
      .superRefine((labels, ctx) => {
        const entries = Object.entries(labels);
        if (entries.length > 256) report(ctx, IssueCode.Value, 'must have at most 256 labels');
        for (const [key, value] of entries) {
          if (key === '') report(ctx, IssueCode.Value, 'empty label key is not supported in a selector', { path: [key] });
          else if (key.includes('*') || value.includes('*')) {
            report(ctx, IssueCode.Value, `wildcard is not supported in a selector (label "${key}")`, { path: [key], hint: 'selectors match exact label values' });
          }
        }
      })
      .optional(),
  });
