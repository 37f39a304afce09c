import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { isIstioDnsLabel } from '../../schema/names.js';
import { obj, report } from '../../schema/object.js';
import { wildcardHost } from '../../schema/primitives.js';
import { portSelector } from '../common/istio.js';

/** Istio's validateSubsetName, for a DestinationRule's subsets and the destinations that name them. */
export function checkSubsetName(name: string): string | undefined {
  if (name === '') return 'subset name must not be empty';
  return isIstioDnsLabel(name) ? undefined : `subset name "${name}" must be a DNS-1123 label`;
}

/**
 * networking Destination: a service (host, optional subset and port), with the rules
 * of Istio's validateDestination: no bare `*` host, a subset name that is a DNS label
 * (an empty subset means none), and a port selector that names its number. Shared by
 * VirtualService routes and mirrors and Sidecar's egress proxy, which Istio validates
 * the same way.
 */
export const destination = () =>
  obj({
    host: wildcardHost(),
    subset: z.string().optional(),
    port: portSelector().optional(),
  }).superRefine((d, ctx) => {
    if (d.host === '*') report(ctx, IssueCode.Value, 'destination host cannot be "*"', { path: ['host'], hint: 'name the service to send traffic to' });
    const subsetErr = d.subset === undefined || d.subset === '' ? undefined : checkSubsetName(d.subset);
    if (subsetErr !== undefined) {
      report(ctx, IssueCode.Value, subsetErr, { path: ['subset'], hint: 'subset names are defined in a DestinationRule: letters, digits and "-"' });
    }
    if (d.port !== undefined && d.port.number === undefined) {
      report(ctx, IssueCode.Required, 'port.number is required when port is set', { path: ['port'] });
    }
  });
