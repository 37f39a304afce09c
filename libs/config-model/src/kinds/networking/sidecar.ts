import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { checkWildcardDomain } from '../../schema/names.js';
import { obj, report } from '../../schema/object.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { destination } from './destination.js';
import { checkFqdn, isIstioLabel } from './gateway/hosts.js';
import { networkingWorkloadSelector } from './service-entry/workload-selector.js';
import { connectionPoolSettings } from './destination-rule/connection-pool.js';
import { egressListener, ingressListener } from './sidecar/listeners.js';

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
    // destination() already reports malformed hosts; the egress proxy must also be a concrete name.
    if (checkWildcardDomain(proxy.host) === undefined) {
      const err = checkFqdn(proxy.host);
      if (err !== undefined) report(ctx, IssueCode.Value, `egressProxy host must be a fully qualified name without wildcards: ${err}`, { path: ['egressProxy', 'host'] });
    }
    if (proxy.subset !== undefined && !isIstioLabel(proxy.subset)) {
      report(ctx, IssueCode.Value, `invalid subset name "${proxy.subset}"`, { path: ['egressProxy', 'subset'], hint: 'subset names are DNS labels' });
    }
    if (proxy.port?.number === undefined) {
      report(ctx, IssueCode.Required, 'egressProxy needs a port number', { path: proxy.port === undefined ? ['egressProxy'] : ['egressProxy', 'port'], hint: 'set egressProxy.port.number' });
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

    const ingressPorts = new Map<number, number>();
    ingress.forEach((listener, i) => {
      const number = listener.port.number;
      if (number === undefined || number === 0) return;
      const first = ingressPorts.get(number);
      if (first !== undefined) report(ctx, IssueCode.Conflict, `port ${number} is already used by ingress[${first}]`, { path: ['ingress', i, 'port', 'number'], hint: 'ingress listener ports must be unique' });
      else ingressPorts.set(number, i);
    });

    const egressPorts = new Map<number, number>();
    const sockets = new Map<string, number>();
    egress.forEach((listener, i) => {
      if (listener.port === undefined) {
        if (i !== egress.length - 1) {
          report(ctx, IssueCode.Conflict, 'only the last egress listener may omit port', { path: ['egress', i], hint: 'the listener without port catches all remaining traffic: move it to the end, and keep only one' });
        }
        return;
      }
      const number = listener.port.number ?? 0;
      if (number === 0) {
        const bind = listener.bind ?? '';
        if (!bind.startsWith('unix://')) return; // reported on the listener
        const first = sockets.get(bind);
        if (first !== undefined) report(ctx, IssueCode.Conflict, `unix domain socket ${bind} is already used by egress[${first}]`, { path: ['egress', i, 'bind'] });
        else sockets.set(bind, i);
      } else {
        const first = egressPorts.get(number);
        if (first !== undefined) report(ctx, IssueCode.Conflict, `port ${number} is already used by egress[${first}]`, { path: ['egress', i, 'port', 'number'], hint: 'egress listener ports must be unique' });
        else egressPorts.set(number, i);
      }
    });
  });

export const sidecar = defineKind({
  group: 'networking.istio.io',
  kind: 'Sidecar',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  body: {
    spec: sidecarSpec(),
    status: istioStatus(),
  },
});
