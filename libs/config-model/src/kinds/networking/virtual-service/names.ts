import { checkDnsName, checkWildcardDomain, isIpAddress } from '../../../schema/names.js';

/**
 * Name and host checks as Istio's networking validation applies them. Istio's
 * DNS-1123 label check accepts upper case letters (unlike Kubernetes' object names).
 */
const ISTIO_DNS_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** Istio's DNS-1123 label: letters of either case, digits and '-', at most 63 characters. */
export function isIstioDnsLabel(value: string): boolean {
  return value.length <= 63 && ISTIO_DNS_LABEL.test(value);
}

/** The last label of a name after its first label, when it is all digits (Istio refuses those). */
function numericTopLevelDomain(host: string): string | undefined {
  const dot = host.indexOf('.');
  if (dot === -1) return undefined;
  const labels = host.slice(dot + 1).split('.');
  const last = labels[labels.length - 1] ?? '';
  return /^[+-]?\d+$/.test(last) ? last : undefined;
}

/** The all-numeric top-level-domain rule alone (for hosts whose label syntax is checked elsewhere). */
export function checkNumericTopLevelDomain(host: string): string | undefined {
  const tld = numericTopLevelDomain(host);
  return tld === undefined ? undefined : `host "${host}" is invalid (top-level domain "${tld}" cannot be all-numeric)`;
}

/** Istio's ValidateWildcardDomain: a DNS name whose first label may be a wildcard, no numeric TLD. */
export function checkIstioWildcardHost(host: string): string | undefined {
  return checkWildcardDomain(host) ?? checkNumericTopLevelDomain(host);
}

/** Istio's ValidateFQDN: a DNS name without wildcards and without a numeric TLD. */
export function checkIstioFqdn(host: string): string | undefined {
  return checkDnsName(host) ?? checkNumericTopLevelDomain(host);
}

/**
 * A VirtualService host. Bound to gateways only, an SNI host may also be Istio's
 * generated `outbound_.<port>_._.<hostname>` form. IP addresses are accepted (Istio
 * allows them for gateway-bound routes and ignores them otherwise).
 */
export function checkVirtualServiceHost(host: string, options: { gatewayBound: boolean; sni: boolean }): string | undefined {
  if (options.gatewayBound && options.sni && host.startsWith('outbound_')) return checkGeneratedSniHost(host);
  const err = checkIstioWildcardHost(host);
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
    const err = checkIstioFqdn(name);
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
