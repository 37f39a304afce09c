import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report, reportDuplicates } from '../../schema/object.js';
import { checkDns1123Label, checkKubernetesFqdn, ipFamily } from '../../schema/names.js';
import { dns1123Label, dns1123Subdomain, labelMap, qualifiedName } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkNonSpecialIp } from './checks.js';
import { objectReference, protocol } from './common.js';

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const endpointConditions = () =>
  obj({
    ready: z.boolean().nullable().optional(),
    serving: z.boolean().nullable().optional(),
    terminating: z.boolean().nullable().optional(),
  });

const endpointHints = () =>
  obj({
    forZones: z.array(obj({ name: z.string() })).optional(),
    forNodes: z.array(obj({ name: z.string() })).optional(),
  });

const endpoint = () =>
  obj({
    addresses: z.array(z.string()).min(1).max(100),
    conditions: endpointConditions().optional(),
    hostname: dns1123Label().nullable().optional(),
    targetRef: objectReference().nullable().optional(),
    deprecatedTopology: labelMap().optional(),
    nodeName: dns1123Subdomain().nullable().optional(),
    zone: z.string().nullable().optional(),
    hints: endpointHints().nullable().optional(),
  });

const endpointPort = () =>
  obj({
    name: z.string().nullable().optional(),
    protocol: protocol(),
    // Kubernetes does not range-check this int32; Ambit requires a usable port number.
    port: z.int().min(1).max(65535).nullable().optional(),
    appProtocol: qualifiedName().nullable().optional(),
  });

/** An error for `address` under `type`, or undefined. */
export function checkEndpointAddress(type: AddressType, address: string): string | undefined {
  if (type === 'FQDN') return checkKubernetesFqdn(address);
  const family = ipFamily(address);
  if (family === 0 || `IPv${family}` !== type) return `"${address}" is not an ${type} address, as addressType says`;
  return checkNonSpecialIp(address);
}

/**
 * discovery.k8s.io/v1 EndpointSlice: the endpoints of a Service (label
 * `kubernetes.io/service-name`). The mesh reads addresses, conditions, nodeName, zone,
 * targetRef and ports. Like the API server, it accepts `endpoints: null` (a Service
 * with no endpoints).
 */
export const endpointSlice = defineKind({
  group: 'discovery.k8s.io',
  kind: 'EndpointSlice',
  versions: ['v1'],
  namespaced: true,
  body: {
    addressType: z.enum(ADDRESS_TYPES),
    endpoints: z.array(endpoint()).max(1000).nullable().optional(),
    ports: z.array(endpointPort()).max(100).nullable().optional(),
  },
  refine: (slice, ctx) => {
    (slice.endpoints ?? []).forEach((ep, i) => {
      ep.addresses.forEach((address, j) => {
        const err = checkEndpointAddress(slice.addressType, address);
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['endpoints', i, 'addresses', j] });
      });
      if (ep.deprecatedTopology !== undefined && Object.keys(ep.deprecatedTopology).length > 16) {
        report(ctx, IssueCode.Value, 'deprecatedTopology may have at most 16 labels', { path: ['endpoints', i, 'deprecatedTopology'] });
      }
    });
    const ports = slice.ports ?? [];
    ports.forEach((p, i) => {
      if (p.name !== undefined && p.name !== null && p.name !== '') {
        const err = checkDns1123Label(p.name);
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['ports', i, 'name'] });
      }
    });
    reportDuplicates(ctx, ports, (p) => p.name ?? '', {
      path: (i) => ['ports', i, 'name'],
      message: (k, first) => `${k === '' ? 'more than one port has no name' : `duplicate port name "${k}"`} (first used at ${first})`,
    });
  },
});
