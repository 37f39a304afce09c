import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkIpOrCidr } from '../../schema/names.js';
import { obj, report } from '../../schema/object.js';
import { checkedString, port } from '../../schema/primitives.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { checkFqdn, checkIstioWildcardDomain, checkPortName } from './gateway/hosts.js';
import { isHttpProtocol, isTlsProtocol, parseProtocol, protocolName } from './gateway/protocol.js';
import { checkServiceEntryExportTo } from './service-entry/export-to.js';
import { networkingWorkloadSelector } from './service-entry/workload-selector.js';
import { endpointAddressKind, workloadEntrySpec, type WorkloadEntrySpec } from './workload-entry/workload-entry-spec.js';

export const SERVICE_ENTRY_LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const;
export const SERVICE_ENTRY_RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'] as const;

/** A ServiceEntry host: a (wildcard) DNS name; the bare `*` is refused. */
const serviceEntryHost = () =>
  checkedString((host) => (host === '*' ? 'host "*" is not allowed in a ServiceEntry' : checkIstioWildcardDomain(host)), 'use a DNS name such as api.example.com or *.example.com');

/** networking ServicePort: number and name are required, protocol may be left for sniffing. */
const servicePort = () =>
  obj({
    number: port(),
    protocol: protocolName({ allowEmpty: true }).optional(),
    name: checkedString(checkPortName).pipe(z.string().max(256)),
    targetPort: port().optional(),
  });

type Resolution = (typeof SERVICE_ENTRY_RESOLUTIONS)[number];

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

    const names = new Map<string, number>();
    const numbers = new Map<number, number>();
    ports.forEach((p, i) => {
      const byName = names.get(p.name);
      if (byName !== undefined) report(ctx, IssueCode.Conflict, `port name "${p.name}" is already defined by ports[${byName}]`, { path: ['ports', i, 'name'] });
      else names.set(p.name, i);
      const byNumber = numbers.get(p.number);
      if (byNumber !== undefined) report(ctx, IssueCode.Conflict, `port ${p.number} is already defined by ports[${byNumber}]`, { path: ['ports', i, 'number'] });
      else numbers.set(p.number, i);
    });
    const portNames = new Set(names.keys());

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
            if (checkFqdn(host) !== undefined) {
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
        const declared = p.protocol !== undefined && p.protocol !== '';
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
    for (const problem of checkServiceEntryExportTo(se.spec.exportTo ?? [], se.metadata.namespace)) {
      const path = problem.index === undefined ? ['spec', 'exportTo'] : ['spec', 'exportTo', problem.index];
      report(ctx, IssueCode.Value, problem.message, { path, hint: problem.hint });
    }
  },
});
