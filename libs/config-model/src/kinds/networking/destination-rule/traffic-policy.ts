import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { exclusive, obj, report, warn } from '../../../schema/object.js';
import { port, uint32 } from '../../../schema/primitives.js';
import { checkDnsName, isIpAddress } from '../../../schema/names.js';
import { portSelector } from '../../common/istio.js';
import { clientTlsSettings } from './client-tls.js';
import { connectionPoolSettings } from './connection-pool.js';
import { loadBalancerSettings, type LoadBalancerOutput } from './load-balancer.js';
import { TOPOLOGY_LABELS } from './locality.js';
import { outlierDetection } from './outlier-detection.js';

/**
 * Locality failover moves traffic away from endpoints that outlier detection ejects:
 * without outlierDetection in the same policy it never happens (Istio warns).
 */
function warnFailoverWithoutOutlierDetection(ctx: z.RefinementCtx, policy: { loadBalancer?: LoadBalancerOutput | undefined; outlierDetection?: unknown }): void {
  const locality = policy.loadBalancer?.localityLbSetting;
  if (policy.outlierDetection !== undefined || locality === undefined) return;
  const failover = locality.failover ?? [];
  const priority = locality.failoverPriority ?? [];
  // As in Istio, not when the setting already has an error that stops its validation.
  const invalid = (locality.distribute ?? []).length > 0 || (failover.length > 0 && priority.some((label) => TOPOLOGY_LABELS.includes(label)));
  if (!invalid && (failover.length > 0 || priority.length > 0)) {
    warn(ctx, IssueCode.Required, 'outlier detection policy must be provided for failover', {
      path: ['loadBalancer', 'localityLbSetting'],
      hint: 'add outlierDetection to this traffic policy',
    });
  }
}

/** networking TrafficPolicy.PortTrafficPolicy: settings for one port of the destination. */
export const portTrafficPolicy = () =>
  obj({
    port: portSelector(),
    loadBalancer: loadBalancerSettings().optional(),
    connectionPool: connectionPoolSettings().optional(),
    outlierDetection: outlierDetection().optional(),
    tls: clientTlsSettings().optional(),
  }).superRefine((p, ctx) => {
    if (p.port.number === undefined) report(ctx, IssueCode.Required, 'port.number is required', { path: ['port'] });
    if (p.loadBalancer === undefined && p.connectionPool === undefined && p.outlierDetection === undefined && p.tls === undefined) {
      report(ctx, IssueCode.Required, 'a port-level policy needs at least one of loadBalancer, connectionPool, outlierDetection or tls');
    }
    warnFailoverWithoutOutlierDetection(ctx, p);
  });

/** networking TrafficPolicy.TunnelSettings. */
const tunnelSettings = () =>
  obj({
    protocol: z.enum(['CONNECT', 'POST']).optional(),
    targetHost: z.string(),
    targetPort: port(),
  }).superRefine((t, ctx) => {
    if (checkDnsName(t.targetHost) !== undefined && !isIpAddress(t.targetHost)) {
      report(ctx, IssueCode.Value, `tunnel targetHost "${t.targetHost}" must be a DNS name without wildcards, or an IP address`, { path: ['targetHost'] });
    }
  });

/** networking TrafficPolicy.ProxyProtocol. */
const proxyProtocol = () => obj({ version: z.enum(['V1', 'V2']).optional() });

/** networking TrafficPolicy.RetryBudget. */
const retryBudget = () =>
  obj({
    percent: z.number().min(0).max(100).optional(),
    minRetryConcurrency: uint32().optional(),
  });

const POLICY_FIELDS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'] as const;

/** networking TrafficPolicy (the DestinationRule's, and each subset's). */
export const trafficPolicy = () =>
  obj({
    loadBalancer: loadBalancerSettings().optional(),
    connectionPool: connectionPoolSettings().optional(),
    outlierDetection: outlierDetection().optional(),
    tls: clientTlsSettings().optional(),
    portLevelSettings: z.array(portTrafficPolicy()).max(4096).optional(),
    tunnel: tunnelSettings().optional(),
    proxyProtocol: proxyProtocol().optional(),
    retryBudget: retryBudget().optional(),
  }).superRefine((p, ctx) => {
    if (POLICY_FIELDS.every((f) => p[f] === undefined)) {
      report(ctx, IssueCode.Required, `trafficPolicy needs at least one of ${POLICY_FIELDS.join(', ')}`, { hint: 'or remove trafficPolicy' });
    }
    exclusive(ctx, p, ['tunnel', 'proxyProtocol']);
    warnFailoverWithoutOutlierDetection(ctx, p);
  });

export type TrafficPolicyOutput = z.output<ReturnType<typeof trafficPolicy>>;
