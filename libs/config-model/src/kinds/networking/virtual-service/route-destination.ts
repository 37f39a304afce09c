import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report } from '../../../schema/object.js';
import { int32 } from '../../../schema/primitives.js';
import { destination } from '../destination.js';
import { headers } from './headers.js';
import { checkNumericTopLevelDomain, isIstioDnsLabel } from './names.js';

/**
 * A route or mirror Destination with the checks Istio's validateDestination adds to
 * the shared schema: no bare `*` host, a subset name that is a DNS-1123 label, and a
 * port selector that names its number.
 */
export const routeDestination = () =>
  destination().superRefine((d, ctx) => {
    if (d.host === '*') {
      report(ctx, IssueCode.Value, 'destination host cannot be "*"', { path: ['host'], hint: 'name the service to send traffic to' });
    } else {
      const err = checkNumericTopLevelDomain(d.host);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['host'] });
    }
    if (d.subset !== undefined && !isIstioDnsLabel(d.subset)) {
      report(ctx, IssueCode.Value, d.subset === '' ? 'subset must not be empty' : `subset "${d.subset}" must be a DNS-1123 label`, {
        path: ['subset'],
        hint: 'subset names are defined in a DestinationRule: letters, digits and "-"',
      });
    }
    if (d.port !== undefined && d.port.number === undefined) {
      report(ctx, IssueCode.Required, 'port.number is required when port is set', { path: ['port'] });
    }
  });

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
    destination: routeDestination(),
    weight: weight().optional(),
    headers: headers().optional(),
  });

/** networking RouteDestination (TLS and TCP routes). */
export const l4RouteDestination = () =>
  obj({
    destination: routeDestination(),
    weight: weight().optional(),
  });

export const httpRouteDestinations = () => weightedList(httpRouteDestination());
/** TLS and TCP routes need at least one destination. */
export const l4RouteDestinations = () => weightedList(l4RouteDestination(), 1);
