import { checkDnsName, checkWildcardDomain, isIpAddress, isIstioDnsLabel } from '../../../schema/names.js';

/**
 * VirtualService host rules beyond the shared host syntax (schema/names.ts): IP and
 * generated SNI hosts, host overlap, and gateway references.
 */

/**
 * A VirtualService host. Bound to gateways only, an SNI host may also be Istio's
 * generated `outbound_.<port>_._.<hostname>` form. IP addresses are accepted (Istio
 * allows them for gateway-bound routes and ignores them otherwise).
 */
export function checkVirtualServiceHost(host: string, options: { gatewayBound: boolean; sni: boolean }): string | undefined {
  if (options.gatewayBound && options.sni && host.startsWith('outbound_')) return checkGeneratedSniHost(host);
  const err = checkWildcardDomain(host);
  if (err !== undefined && isIpAddress(host)) return undefined;
  return err;
}

/** `outbound_.<port>_._.<hostname>`, the SNI Istio generates for AUTO_PASSTHROUGH gateways. */
export function checkGeneratedSniHost(host: string): string | undefined {
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  const parts = host.split('_');
  if (parts.length < 4) return `host "${host}" must have the form outbound_.<port>_._.<hostname>`;
  const port = (parts[1] ?? '').replace(/^\.+|\.+$/g, '');
  const name = (parts[3] ?? '').replace(/^\.+|\.+$/g, '');
  if (parts[0] !== 'outbound') return `host "${host}" is invalid (label "${parts[0] ?? ''}" invalid)`;
  if (!/[0-9]/.test(port)) return `host "${host}" is invalid: "${port}" is not a port, expected outbound_.<port>_._.<hostname>`;
  if (!/[A-Za-z]/.test(name)) return `host "${host}" is invalid: "${name}" is not a hostname, expected outbound_.<port>_._.<hostname>`;
  return undefined;
}

const isWildcarded = (host: string): boolean => host.startsWith('*');

/**
 * Whether two hosts can match a common name (Istio's host.Name.Matches): equal names,
 * or a wildcard whose suffix covers the other name. `*` matches everything.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (isWildcarded(a) && isWildcarded(b)) {
    const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
    return longer.slice(1).endsWith(shorter.slice(1));
  }
  if (isWildcarded(a)) return b.endsWith(a.slice(1));
  if (isWildcarded(b)) return a.endsWith(b.slice(1));
  return a === b;
}

/** Whether every name `inner` matches is also matched by `outer` (Istio's host.Name.SubsetOf). */
export function hostIsSubsetOf(inner: string, outer: string): boolean {
  if (isWildcarded(outer)) {
    if (isWildcarded(inner)) return inner.length >= outer.length && inner.slice(1).endsWith(outer.slice(1));
    return inner.endsWith(outer.slice(1));
  }
  return !isWildcarded(inner) && inner === outer;
}

/**
 * A gateway reference in `gateways`: `<namespace>/<name>`, or a bare name (`mesh`,
 * `my-gateway`, or the legacy `name.namespace.svc.cluster.local` form).
 */
export function checkGatewayName(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash === -1) {
    const err = checkDnsName(name);
    return err === undefined ? undefined : `gateway "${name}" is invalid: ${err}`;
  }
  const namespace = name.slice(0, slash);
  const gateway = name.slice(slash + 1);
  if (namespace === '' || gateway === '') return `gateway "${name}" must be <namespace>/<name> with neither part empty`;
  if (!isIstioDnsLabel(namespace)) return `gateway "${name}" has an invalid namespace "${namespace}" (must be a DNS-1123 label)`;
  if (!isIstioDnsLabel(gateway)) return `gateway "${name}" has an invalid name "${gateway}" (must be a DNS-1123 label)`;
  return undefined;
}

/** The reserved gateway name for all sidecars. */
export const MESH_GATEWAY = 'mesh';
