import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report, warn } from '../../../schema/object.js';
import { duration, int32, uint32 } from '../../../schema/primitives.js';

const percentage = () => int32().min(0).max(100);

/** networking OutlierDetection. */
export const outlierDetection = () =>
  obj({
    splitExternalLocalOriginErrors: z.boolean().optional(),
    consecutiveLocalOriginFailures: uint32().optional(),
    consecutiveGatewayErrors: uint32().optional(),
    consecutive5xxErrors: uint32().optional(),
    /** Deprecated (Istio warns): use consecutiveGatewayErrors or consecutive5xxErrors. */
    consecutiveErrors: int32().optional(),
    interval: duration().optional(),
    baseEjectionTime: duration().optional(),
    maxEjectionPercent: percentage().optional(),
    minHealthPercent: percentage().optional(),
  }).superRefine((o, ctx) => {
    if ((o.consecutiveErrors ?? 0) !== 0) {
      warn(ctx, IssueCode.Value, 'outlier detection consecutiveErrors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead', {
        path: ['consecutiveErrors'],
      });
    }
    if ((o.consecutiveLocalOriginFailures ?? 0) > 0 && o.splitExternalLocalOriginErrors !== true) {
      report(ctx, IssueCode.Conflict, 'consecutiveLocalOriginFailures has no effect unless splitExternalLocalOriginErrors is true', {
        path: ['consecutiveLocalOriginFailures'],
        hint: 'set splitExternalLocalOriginErrors: true',
      });
    }
  });
