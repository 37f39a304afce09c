import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report } from '../../../schema/object.js';
import { int32 } from '../../../schema/primitives.js';
import { destination } from '../destination.js';
import { headers } from './headers.js';

/** A route weight: relative, not a percentage (a destination gets weight / sum of weights). */
const weight = () => int32().min(0);

/**
 * A list of weighted destinations. Istio treats weights as relative; it refuses
 * negative weights and, with more than one destination, weights that add up to 0.
 */
function weightedList<T extends z.ZodType<{ weight?: number | undefined }>>(item: T, minItems = 0) {
  return z.array(item).min(minItems).superRefine((list, ctx) => {
    if (list.length < 2) return;
    const total = list.reduce((sum, d) => sum + (d.weight ?? 0), 0);
    if (total === 0) {
      report(ctx, IssueCode.Value, 'the weights of the destinations add up to 0', {
        hint: 'give at least one destination a positive weight; weights are relative',
      });
    }
  });
}

/** networking HTTPRouteDestination: destination, weight and per-destination header changes. */
export const httpRouteDestination = () =>
  obj({
    destination: destination(),
    weight: weight().optional(),
    headers: headers().optional(),
  });

/** networking RouteDestination (TLS and TCP routes). */
export const l4RouteDestination = () =>
  obj({
    destination: destination(),
    weight: weight().optional(),
  });

export const httpRouteDestinations = () => weightedList(httpRouteDestination());
/** TLS and TCP routes need at least one destination. */
export const l4RouteDestinations = () => weightedList(l4RouteDestination(), 1);
