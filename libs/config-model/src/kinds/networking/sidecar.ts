import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkDnsName, checkWildcardDomain } from '../../schema/names.js';
import { obj, report, reportDuplicates, warn } from '../../schema/object.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { networkingWorkloadSelector } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';
import { destination } from './destination.js';
import { connectionPoolSettings } from './destination-rule/connection-pool.js';
import { UNIX_PREFIX } from './hosts.js';
import { egressListener, ingressListener, type EgressListener } from './sidecar/listeners.js';

export const OUTBOUND_TRAFFIC_POLICY_MODES = ['REGISTRY_ONLY', 'ALLOW_ANY'] as const;

const outboundTrafficPolicy = () =>
  obj({
    mode: z.enum(OUTBOUND_TRAFFIC_POLICY_MODES).optional(),
    egressProxy: destination().optional(),
  }).superRefine((policy, ctx) => {
    const proxy = policy.egressProxy;
    if (proxy === undefined) return;
    if (policy.mode !== 'ALLOW_ANY') {
      report(ctx, IssueCode.Conflict, 'egressProxy can only be set when mode is ALLOW_ANY', { path: ['egressProxy'], hint: 'set mode: ALLOW_ANY' });
      return;
    }
    // destination() reports malformed hosts, `*`, subsets and a port without number, as
    // Istio's validateDestination does; the egress proxy must also be a concrete name
    // (Istio's ValidateFQDN) and have a port.
    if (proxy.host !== '*' && checkWildcardDomain(proxy.host) === undefined) {
      const err = checkDnsName(proxy.host);
      if (err !== undefined) report(ctx, IssueCode.Value, `egressProxy host must be a fully qualified name without wildcards: ${err}`, { path: ['egressProxy', 'host'] });
    }
    if (proxy.port === undefined) {
      report(ctx, IssueCode.Required, 'egressProxy needs a port number', { path: ['egressProxy'], hint: 'set egressProxy.port.number' });
    }
  });

const sidecarSpec = () =>
  obj({
    workloadSelector: networkingWorkloadSelector().optional(),
    ingress: z.array(ingressListener()).optional(),
    egress: z.array(egressListener()).optional(),
    inboundConnectionPool: connectionPoolSettings().optional(),
    outboundTrafficPolicy: outboundTrafficPolicy().optional(),
  }).superRefine((spec, ctx) => {
    const ingress = spec.ingress ?? [];
    const egress = spec.egress ?? [];
    if (ingress.length === 0 && egress.length === 0 && spec.outboundTrafficPolicy === undefined && spec.inboundConnectionPool === undefined) {
      report(ctx, IssueCode.Required, 'a Sidecar must set at least one of ingress, egress, outboundTrafficPolicy or inboundConnectionPool');
      return;
    }

    const portNumber = (port: { number?: number | undefined } | undefined): string | undefined =>
      port?.number === undefined || port.number === 0 ? undefined : String(port.number);
    reportDuplicates(ctx, ingress, (listener) => portNumber(listener.port), {
      path: (i) => ['ingress', i, 'port', 'number'],
      where: (i) => `ingress[${i}]`,
      message: (number, first) => `port ${number} is already used by ${first}`,
      hint: 'ingress listener ports must be unique',
    });

    egress.forEach((listener, i) => {
      if (listener.port === undefined && i !== egress.length - 1) {
        report(ctx, IssueCode.Conflict, 'only the last egress listener may omit port', { path: ['egress', i], hint: 'the listener without port catches all remaining traffic: move it to the end, and keep only one' });
      }
    });
    const where = (i: number): string => `egress[${i}]`;
    reportDuplicates(ctx, egress, (listener) => portNumber(listener.port), {
      path: (i) => ['egress', i, 'port', 'number'],
      where,
      message: (number, first) => `port ${number} is already used by ${first}`,
      hint: 'egress listener ports must be unique',
    });
    // A listener with port number 0 binds a unix domain socket (a bind that is not one is reported on the listener).
    const socket = (listener: EgressListener): string | undefined =>
      listener.port !== undefined && portNumber(listener.port) === undefined && (listener.bind ?? '').startsWith(UNIX_PREFIX) ? listener.bind : undefined;
    reportDuplicates(ctx, egress, socket, {
      path: (i) => ['egress', i, 'bind'],
      where,
      message: (bind, first) => `unix domain socket ${bind} is already used by ${first}`,
    });
  });

/**
 * Istio warns (and keeps the Sidecar) when an egress listener names a host twice, or
 * a host its namespace's `*` already covers, or the any-namespace, any-host entry
 * together with other hosts. `.` counts as the Sidecar's namespace when the file names it.
 */
function warnOverlappingEgressHosts(ctx: z.RefinementCtx, hosts: readonly string[], namespace: string | undefined, path: PropertyKey[]): void {
  const byNamespace = new Map<string, Set<string>>();
  hosts.forEach((host, i) => {
    const slash = host.indexOf('/');
    if (slash === -1) return;
    const ns = host.slice(0, slash) === '.' ? (namespace ?? '.') : host.slice(0, slash);
    const dnsName = host.slice(slash + 1);
    const seen = byNamespace.get(ns) ?? new Set<string>();
    const overlap = dnsName === '*' ? seen.size > 0 : seen.has(dnsName) || seen.has('*');
    if (overlap) {
      const hint = dnsName === '*' ? `it covers the earlier hosts of namespace ${ns}` : `an earlier host of namespace ${ns} already covers it`;
      warn(ctx, IssueCode.Conflict, `duplicated egress host: ${host}`, { path: [...path, i], hint });
    }
    seen.add(dnsName);
    byNamespace.set(ns, seen);
  });
  if (byNamespace.get('*')?.has('*') === true && byNamespace.size !== 1) {
    warn(ctx, IssueCode.Conflict, '`*/*` selects every host: no other hosts can be added', { path, hint: 'remove the other hosts, or replace */* with the namespaces you need' });
  }
}

export const sidecar = defineKind({
  group: 'networking.istio.io',
  kind: 'Sidecar',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: sidecarSpec(),
    status: istioStatus(),
  },
  refine: (object, ctx) => {
    object.spec.egress?.forEach((listener, i) => warnOverlappingEgressHosts(ctx, listener.hosts, object.metadata.namespace, ['spec', 'egress', i, 'hosts']));
  },
});
