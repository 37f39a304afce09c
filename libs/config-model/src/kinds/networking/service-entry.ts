import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkDnsName, checkIpOrCidr, checkIstioPortName, checkWildcardDomain } from '../../schema/names.js';
import { isSet, obj, report, reportDuplicates, warn } from '../../schema/object.js';
import { checkedString, port } from '../../schema/primitives.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { networkingWorkloadSelector } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';
import { checkExportTo } from './export-to.js';
import { checkPartialWildcard } from './hosts.js';
import { isHttpProtocol, isTcpProtocol, isTlsProtocol, parseProtocol, protocolName } from './protocol.js';
import { endpointAddressKind, workloadEntrySpec, type WorkloadEntrySpec } from './workload-entry/workload-entry-spec.js';

export const SERVICE_ENTRY_LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const;
export const SERVICE_ENTRY_RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'] as const;

/**
 * A ServiceEntry host: a (wildcard) DNS name; the bare `*` is refused. Istio accepts a
 * partial wildcard (`*foo.example.com`) for compatibility, with a warning.
 */
const serviceEntryHost = () =>
  z.string().superRefine((host, ctx) => {
    const err = host === '*' ? 'host "*" is not allowed in a ServiceEntry' : checkWildcardDomain(host);
    if (err !== undefined) report(ctx, IssueCode.Value, err, { hint: 'use a DNS name such as api.example.com or *.example.com' });
    else {
      const partial = checkPartialWildcard(host);
      if (partial !== undefined) warn(ctx, IssueCode.Value, partial, { hint: 'a wildcard covers whole labels: write *.example.com' });
    }
  });

/** networking ServicePort: number and name are required, protocol may be left for sniffing. */
const servicePort = () =>
  obj({
    number: port(),
    protocol: protocolName({ allowEmpty: true }).optional(),
    name: checkedString(checkIstioPortName).pipe(z.string().max(256)),
    targetPort: port().optional(),
  });

type Resolution = (typeof SERVICE_ENTRY_RESOLUTIONS)[number];

/** The fields the cross-field rules read (the spec as parsed, before its own refinement). */
interface ServiceEntrySpecInput {
  readonly hosts: readonly string[];
  readonly addresses?: readonly string[] | undefined;
  readonly ports?: readonly { readonly protocol?: string | undefined; readonly targetPort?: number | undefined }[] | undefined;
  readonly workloadSelector?: unknown;
}

function checkEndpoints(endpoints: readonly WorkloadEntrySpec[], resolution: Resolution, portNames: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  endpoints.forEach((endpoint, i) => {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['endpoints', i, ...rest];
    const kind = endpointAddressKind(endpoint.address);
    const address = endpoint.address ?? '';
    if (resolution === 'STATIC') {
      if (kind === 'hostname' || kind === 'invalid') {
        report(ctx, IssueCode.Value, `endpoint address "${address}" is not an IP address`, { path: at('address'), hint: 'STATIC resolution needs IP addresses or unix:// sockets; use resolution DNS for hostnames' });
      }
      if (kind === 'unix' && portNames.size !== 1) {
        report(ctx, IssueCode.Conflict, `a unix domain socket endpoint needs exactly one service port, found ${portNames.size}`, { path: at('address') });
      }
    } else if (kind !== 'ip' && kind !== 'hostname') {
      report(ctx, IssueCode.Value, `endpoint address "${address}" is not a DNS name or an IP address`, { path: at('address'), hint: `${resolution} resolution resolves endpoint addresses by DNS` });
    }
    for (const name of Object.keys(endpoint.ports ?? {})) {
      if (!portNames.has(name)) {
        report(ctx, IssueCode.Value, `endpoint port "${name}" is not defined by the service entry`, { path: at('ports', name), hint: `endpoint ports are keyed by the names in spec.ports (${[...portNames].join(', ') || 'none defined'})` });
      }
    }
  });
}

/**
 * Settings Istio accepts for compatibility but warns are ignored or ambiguous: a
 * targetPort or a workloadSelector that the resolution does not use, and several hosts
 * sharing addresses on a TCP port under DNS resolution.
 */
function warnIneffectiveSettings(se: ServiceEntrySpecInput, resolution: Resolution, ctx: z.RefinementCtx): void {
  const ports = se.ports ?? [];
  if (resolution === 'NONE') {
    ports.forEach((p, i) => {
      if ((p.targetPort ?? 0) !== 0) {
        warn(ctx, IssueCode.Value, 'targetPort has no effect when resolution is NONE', {
          path: ['ports', i, 'targetPort'],
          hint: 'NONE forwards connections to the port the client used',
        });
      }
    });
  }
  if (se.workloadSelector !== undefined && (resolution === 'NONE' || resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN')) {
    warn(ctx, IssueCode.Conflict, `workloadSelector should not be set when resolution is ${resolution}`, {
      path: ['workloadSelector'],
      hint: 'selected workloads are endpoints of a STATIC ServiceEntry',
    });
  }
  const dns = resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN';
  if (dns && (se.addresses ?? []).length > 0 && se.hosts.length > 1 && ports.some((p) => isTcpProtocol(parseProtocol(p.protocol ?? '')))) {
    warn(ctx, IssueCode.Conflict, 'a ServiceEntry should not have more than one host together with addresses and a TCP port', {
      path: ['hosts'],
      hint: 'traffic to the addresses cannot be told apart by host: use one ServiceEntry per host',
    });
  }
}

const serviceEntrySpec = () =>
  obj({
    hosts: z.array(serviceEntryHost()).min(1).max(256),
    addresses: z.array(checkedString(checkIpOrCidr).pipe(z.string().max(64))).max(256).optional(),
    ports: z.array(servicePort()).max(256).optional(),
    location: z.enum(SERVICE_ENTRY_LOCATIONS).optional(),
    resolution: z.enum(SERVICE_ENTRY_RESOLUTIONS).optional(),
    endpoints: z.array(workloadEntrySpec()).max(4096).optional(),
    workloadSelector: networkingWorkloadSelector().optional(),
    exportTo: z.array(z.string()).optional(),
    subjectAltNames: z.array(z.string()).optional(),
  }).superRefine((se, ctx) => {
    const resolution = se.resolution ?? 'NONE';
    const ports = se.ports ?? [];

    if (se.workloadSelector !== undefined && se.endpoints !== undefined) {
      report(ctx, IssueCode.Conflict, 'only one of workloadSelector or endpoints may be set', { path: ['endpoints'], hint: 'select workloads (Pods, WorkloadEntries) by labels, or list the endpoints' });
    }

    if (resolution !== 'NONE' && resolution !== 'STATIC') {
      (se.addresses ?? []).forEach((address, i) => {
        if (address.includes('/')) {
          report(ctx, IssueCode.Conflict, `CIDR address "${address}" is only allowed with resolution NONE or STATIC`, { path: ['addresses', i] });
        }
      });
    }

    const where = (i: number): string => `ports[${i}]`;
    reportDuplicates(ctx, ports, (p) => p.name, { path: (i) => ['ports', i, 'name'], where, message: (name, first) => `port name "${name}" is already defined by ${first}` });
    reportDuplicates(ctx, ports, (p) => String(p.number), { path: (i) => ['ports', i, 'number'], where, message: (number, first) => `port ${number} is already defined by ${first}` });
    const portNames = new Set(ports.map((p) => p.name));
    warnIneffectiveSettings(se, resolution, ctx);

    const endpoints = se.endpoints ?? [];
    switch (resolution) {
      case 'NONE':
        if (se.endpoints !== undefined) {
          report(ctx, IssueCode.Conflict, 'endpoints cannot be set with resolution NONE', { path: ['endpoints'], hint: 'NONE forwards to the original destination; use STATIC or DNS to list endpoints' });
        }
        break;
      case 'STATIC':
        checkEndpoints(endpoints, resolution, portNames, ctx);
        break;
      case 'DNS':
      case 'DNS_ROUND_ROBIN':
        if (endpoints.length === 0) {
          se.hosts.forEach((host, i) => {
            if (checkDnsName(host) !== undefined) {
              report(ctx, IssueCode.Value, `host "${host}" must be a fully qualified name (no wildcard) when resolution is ${resolution} and there are no endpoints`, { path: ['hosts', i], hint: 'the hosts themselves are resolved by DNS; list endpoints or use resolution NONE for wildcard hosts' });
            }
          });
        }
        if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
          report(ctx, IssueCode.Value, `resolution DNS_ROUND_ROBIN allows at most one endpoint, found ${endpoints.length}`, { path: ['endpoints'], hint: 'use resolution DNS to load-balance across several endpoints' });
        }
        checkEndpoints(endpoints, resolution, portNames, ctx);
        break;
      case 'DYNAMIC_DNS':
        break;
    }

    // Several hosts on one port can only be told apart by HTTP Host/authority or TLS SNI.
    if (resolution !== 'NONE' && se.hosts.length > 1) {
      const i = ports.findIndex((p) => {
        const protocol = parseProtocol(p.protocol ?? '');
        return !isHttpProtocol(protocol) && !isTlsProtocol(protocol);
      });
      const p = ports[i];
      if (p !== undefined) {
        const declared = isSet(p.protocol);
        report(ctx, IssueCode.Conflict, `multiple hosts need HTTP or TLS ports, but port "${p.name}" is ${declared ? p.protocol : 'not declared (sniffed)'}`, {
          path: declared ? ['ports', i, 'protocol'] : ['ports', i],
          hint: 'plain TCP cannot tell the hosts apart: use one host per ServiceEntry, an HTTP/TLS protocol, or resolution NONE',
        });
      }
    }
  });

export const serviceEntry = defineKind({
  group: 'networking.istio.io',
  kind: 'ServiceEntry',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: serviceEntrySpec(),
    status: istioStatus(),
  },
  refine: (se, ctx) => {
    checkExportTo(ctx, se.spec.exportTo, se.metadata.namespace, { allowNone: true });
  },
});
