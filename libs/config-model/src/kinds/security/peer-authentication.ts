import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { obj, report } from '../../schema/object.js';
import { SECURITY_VERSIONS, istioStatus, rejectDryRunAnnotation } from '../common/istio.js';
import { matchLabelsSelector } from '../common/selectors.js';
import { defineKind } from '../define-kind.js';

/** PeerAuthentication.MutualTLS.Mode. UNSET inherits from the parent policy. */
export const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] as const;

const mutualTls = () => obj({ mode: z.enum(MTLS_MODES).optional() });

/** A portLevelMtls key: a port number 1..65535 written in decimal. */
function checkPortKey(key: string): string | undefined {
  if (!/^\d+$/.test(key) || Number(key) < 1 || Number(key) > 65535) return `port "${key}" must be a number from 1 to 65535`;
  return undefined;
}

const peerAuthenticationSpec = () =>
  obj({
    selector: matchLabelsSelector().optional(),
    mtls: mutualTls().optional(),
    portLevelMtls: z.record(z.string(), mutualTls()).optional(),
  }).superRefine((spec, ctx) => {
    const ports = spec.portLevelMtls;
    if (ports === undefined) return;
    const keys = Object.keys(ports);
    if (keys.length === 0) {
      report(ctx, IssueCode.Value, 'must have at least one port when set', { path: ['portLevelMtls'] });
      return;
    }
    for (const key of keys) {
      const err = checkPortKey(key);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['portLevelMtls', key] });
    }
    if (Object.keys(spec.selector?.matchLabels ?? {}).length === 0) {
      report(ctx, IssueCode.Conflict, 'portLevelMtls requires a selector with matchLabels', {
        path: ['portLevelMtls'],
        hint: 'mesh-wide and namespace-wide policies cannot set port-level mTLS',
      });
    }
  });

export const peerAuthentication = defineKind({
  group: 'security.istio.io',
  kind: 'PeerAuthentication',
  versions: SECURITY_VERSIONS,
  namespaced: true,
  body: {
    spec: peerAuthenticationSpec().optional(),
    status: istioStatus(),
  },
  refine: rejectDryRunAnnotation,
});
