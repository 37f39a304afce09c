import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { checkDnsName, checkIstioPortName, isIpAddress } from '../../../schema/names.js';
import { obj, report } from '../../../schema/object.js';
import { labelMap, port, uint32 } from '../../../schema/primitives.js';
import { UNIX_PREFIX, checkUnixAddress } from '../hosts.js';

/** Which kind of address a WorkloadEntry (or ServiceEntry endpoint) names. */
export type EndpointAddressKind = 'none' | 'unix' | 'ip' | 'hostname' | 'invalid';

export function endpointAddressKind(address: string | undefined): EndpointAddressKind {
  if (address === undefined || address === '') return 'none';
  if (address.startsWith(UNIX_PREFIX)) return 'unix';
  if (isIpAddress(address)) return 'ip';
  return checkDnsName(address) === undefined ? 'hostname' : 'invalid';
}

const portMap = () =>
  z
    .record(z.string(), port())
    .superRefine((ports, ctx) => {
      for (const name of Object.keys(ports)) {
        const err = checkIstioPortName(name);
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [name] });
      }
      if (Object.keys(ports).length > 128) report(ctx, IssueCode.Value, 'must have at most 128 ports');
    });

/**
 * networking WorkloadEntry (the spec of a WorkloadEntry, and each ServiceEntry endpoint).
 * These are the rules that hold wherever the shape appears (the CRD's rules); which
 * address forms are allowed depends on the context and is checked there.
 */
export const workloadEntrySpec = () =>
  obj({
    address: z.string().max(256).optional(),
    ports: portMap().optional(),
    labels: labelMap()
      .superRefine((labels, ctx) => {
        if (Object.keys(labels).length > 256) report(ctx, IssueCode.Value, 'must have at most 256 labels');
      })
      .optional(),
    network: z.string().max(2048).optional(),
    locality: z.string().max(2048).optional(),
    weight: uint32().optional(),
    serviceAccount: z.string().max(253).optional(),
  }).superRefine((we, ctx) => {
    const address = we.address ?? '';
    if (address === '') {
      if ((we.network ?? '') === '') {
        report(ctx, IssueCode.Required, 'address is required', { path: ['address'], hint: 'set address (an IP, hostname or unix:// socket), or network for a workload reached through that network\'s gateway' });
      }
      return;
    }
    if (address.startsWith(UNIX_PREFIX)) {
      const err = checkUnixAddress(address.slice(UNIX_PREFIX.length));
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['address'] });
      if (we.ports !== undefined && Object.keys(we.ports).length > 0) {
        report(ctx, IssueCode.Conflict, `unix domain socket address ${address} must not have ports`, { path: ['ports'] });
      }
    }
  });

export type WorkloadEntrySpec = z.output<ReturnType<typeof workloadEntrySpec>>;

