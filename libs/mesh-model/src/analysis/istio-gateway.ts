import type { GatewayResource } from '@ambit/config-model';
import { compare } from '../compare.js';
import { selects } from '../labels.js';
import { note } from './codes.js';
import { workloadTarget, type AnalysisContext, type Facts } from './context.js';

/** Credentials read from elsewhere than a Secret of the gateway's namespace (`sds://…`, `kubernetes-gateway://…`). */
const hasScheme = (name: string): boolean => name.includes('://');

/**
 * An Istio (networking.istio.io) Gateway: its selector picks gateway workloads, in any
 * namespace as Istio's default allows, and each TLS server's credentialName names a
 * Secret in the namespace of those workloads, where the gateway reads it.
 */
export function istioGatewayFacts(ctx: AnalysisContext, gateway: GatewayResource): Facts {
  const facts: Facts = { appliedTo: [], notes: [] };
  const selector = gateway.spec.selector ?? {};
  const selected = [...ctx.store.workloads()].filter((w) => selects(selector, w.labels));
  facts.appliedTo.push(...selected.map(workloadTarget));
  if (selected.length === 0) {
    const written = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    facts.notes.push(
      note('GatewaySelectsNothing', `no workload has the labels ${written}, so no gateway serves this Gateway`, {
        path: 'spec.selector',
        hint: 'deploy the gateway (its pods carry these labels) or fix the selector',
      }),
    );
  }
  const namespaces = [...new Set(selected.map((w) => w.namespace))].sort(compare);
  if (namespaces.length === 0) namespaces.push(gateway.metadata.namespace);
  gateway.spec.servers.forEach((server, i) => {
    const tls = server.tls;
    const credentials: { name: string; path: string }[] = [];
    if (tls?.credentialName !== undefined && tls.credentialName !== '') credentials.push({ name: tls.credentialName, path: `spec.servers[${i}].tls.credentialName` });
    (tls?.credentialNames ?? []).forEach((name, j) => credentials.push({ name, path: `spec.servers[${i}].tls.credentialNames[${j}]` }));
    for (const { name, path } of credentials) {
      if (hasScheme(name) || namespaces.some((ns) => ctx.config.hasSecret(ns, name))) continue;
      facts.notes.push(
        note('CredentialNotFound', `Secret ${name} not found in namespace ${namespaces.join(' or ')}: the server cannot terminate TLS`, {
          path,
          hint: 'the gateway reads credentials from Secrets in its own namespace; create the Secret there',
        }),
      );
    }
  });
  return facts;
}
