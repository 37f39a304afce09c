import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report, warn } from '../../../schema/object.js';
import { checkWildcardDomain, isIpAddress } from '../../../schema/names.js';
import { isJwtClaimHeader } from './headers.js';
import { gatewayNames } from './http-match.js';
import { httpRoute } from './http-route.js';
import { tcpRoute, tlsRoute } from './l4-routes.js';
import { MESH_GATEWAY, checkGeneratedSniHost, checkVirtualServiceHost, hostIsSubsetOf, hostsOverlap } from './names.js';
import { warnUnreachableRoutes } from './unreachable-routes.js';

const virtualServiceSpecShape = {
  hosts: z.array(z.string()).optional(),
  gateways: gatewayNames().optional(),
  http: z.array(httpRoute()).optional(),
  tls: z.array(tlsRoute()).optional(),
  tcp: z.array(tcpRoute()).optional(),
  exportTo: z.array(z.string()).optional(),
};

type VirtualServiceSpecValue = z.output<z.ZodObject<typeof virtualServiceSpecShape>>;

/** The rules of a VirtualService that span its hosts, gateways and routes. */
export function refineVirtualServiceSpec(spec: VirtualServiceSpecValue, ctx: z.RefinementCtx): void {
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  const http = spec.http ?? [];
  const tls = spec.tls ?? [];
  const tcp = spec.tcp ?? [];
  // Bound only to gateways (not to the sidecars, `mesh`).
  const gatewayBound = gateways.length > 0 && !gateways.includes(MESH_GATEWAY);
  const hasSni = tls.some((route) => route.match.some((m) => m.sniHosts.length > 0));

  if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
    report(ctx, IssueCode.Required, 'a VirtualService needs at least one of http, tls or tcp routes');
  }

  // A VirtualService without hosts is a delegate: only HTTP routes, attached through another VirtualService.
  if (hosts.length === 0) {
    const delegateHint = 'a VirtualService without hosts is a delegate; add hosts to route traffic directly';
    if (gateways.length > 0) report(ctx, IssueCode.Conflict, 'a delegate VirtualService cannot set gateways', { path: ['gateways'], hint: delegateHint });
    if (tls.length > 0) report(ctx, IssueCode.Conflict, 'a delegate VirtualService cannot have tls routes', { path: ['tls'], hint: delegateHint });
    if (tcp.length > 0) report(ctx, IssueCode.Conflict, 'a delegate VirtualService cannot have tcp routes', { path: ['tcp'], hint: delegateHint });
    http.forEach((route, i) => {
      if (route.delegate !== undefined) {
        report(ctx, IssueCode.Conflict, 'a delegate VirtualService cannot delegate again (only one level of delegation)', { path: ['http', i, 'delegate'] });
      }
    });
  }

  let hostsValid = true;
  hosts.forEach((host, i) => {
    const err = checkVirtualServiceHost(host, { gatewayBound, sni: hasSni });
    if (err !== undefined) {
      report(ctx, IssueCode.Value, err, { path: ['hosts', i] });
      hostsValid = false;
    } else if (!gatewayBound && host === '*') {
      report(ctx, IssueCode.Value, 'host "*" is not allowed for a VirtualService that applies to sidecars (mesh)', {
        path: ['hosts', i],
        hint: 'bind it to a gateway with gateways: [...], or name the hosts',
      });
      hostsValid = false;
    }
  });
  if (hostsValid) {
    for (let j = 1; j < hosts.length; j++) {
      for (let i = 0; i < j; i++) {
        if (hostsOverlap(hosts[i]!, hosts[j]!)) {
          const message = hosts[i] === hosts[j] ? `duplicate host "${hosts[j]!}"` : `hosts "${hosts[i]!}" and "${hosts[j]!}" overlap`;
          report(ctx, IssueCode.Conflict, message, { path: ['hosts', j], hint: 'list each host once; a wildcard host already covers the names under it' });
          break;
        }
      }
    }
  }

  // JWT claim based routing only works on gateways (the claims come from RequestAuthentication there).
  if (!gatewayBound) {
    http.forEach((route, i) => {
      route.match?.forEach((m, j) => {
        for (const field of ['headers', 'withoutHeaders'] as const) {
          for (const key of Object.keys(m[field] ?? {})) {
            if (isJwtClaimHeader(key)) {
              report(ctx, IssueCode.Value, `JWT claim routing ("${key}") is only supported on gateways`, {
                path: ['http', i, 'match', j, field, key],
                hint: 'bind the VirtualService to gateways only, without mesh',
              });
            }
          }
        }
      });
    });
  }

  warnUnreachableRoutes(ctx, 'http', http);
  warnUnreachableRoutes(ctx, 'tcp', tcp);
  warnUnreachableRoutes(ctx, 'tls', tls);

  // SNI hosts must be valid and covered by the VirtualService's hosts.
  const generatedSniAllowed = !gateways.includes(MESH_GATEWAY);
  tls.forEach((route, i) => {
    route.match.forEach((m, j) => {
      m.sniHosts.forEach((sni, k) => {
        const path = ['tls', i, 'match', j, 'sniHosts', k];
        const err = generatedSniAllowed && sni.startsWith('outbound_') ? checkGeneratedSniHost(sni) : checkWildcardDomain(sni);
        if (err !== undefined) {
          if (!isIpAddress(sni)) report(ctx, IssueCode.Value, err, { path });
          else {
            warn(ctx, IssueCode.Value, `using an IP address ("${sni}") as an SNI host goes against the SNI spec, and most clients do not support it`, {
              path,
              hint: 'match the IP address with destinationSubnets instead',
            });
          }
          return;
        }
        if (!hosts.some((host) => hostIsSubsetOf(sni, host))) {
          report(ctx, IssueCode.Value, `SNI host "${sni}" is not covered by any of the VirtualService's hosts [${hosts.join(', ')}]`, {
            path,
            hint: 'each SNI host must equal a host or fall under a wildcard host',
          });
        }
      });
    });
  });
}

/** networking VirtualService spec. */
export const virtualServiceSpec = () => obj(virtualServiceSpecShape).superRefine(refineVirtualServiceSpec);
