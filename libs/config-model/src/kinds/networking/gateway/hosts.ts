import { checkDnsName, checkWildcardDomain, isIpAddress } from '../../../schema/names.js';

/**
 * Host and name checks as Istio's validation applies them to Gateway, Sidecar and
 * ServiceEntry fields. Each check returns an error message, or undefined when valid.
 */

const ISTIO_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** Istio's DNS-1123 label (used for port names, namespaces in hosts, exportTo): letters of either case, digits, '-'. */
export function isIstioLabel(value: string): boolean {
  return value.length > 0 && value.length <= 63 && ISTIO_LABEL.test(value);
}

/** Istio's ValidatePortName. */
export function checkPortName(name: string): string | undefined {
  return isIstioLabel(name)
    ? undefined
    : `invalid port name "${name}": use at most 63 letters, digits or '-', starting and ending with a letter or digit`;
}

/** Istio refuses names whose last label is all digits (they would read as IP addresses). */
function numericTopLevelDomain(host: string): string | undefined {
  const labels = host.split('.');
  const last = labels[labels.length - 1] ?? '';
  if (labels.length > 1 && /^\d+$/.test(last)) return `host "${host}" is invalid (top level domain "${last}" cannot be all-numeric)`;
  return undefined;
}

/** Istio's ValidateFQDN: a DNS name without wildcards, whose top-level domain is not all-numeric. */
export function checkFqdn(host: string): string | undefined {
  return checkDnsName(host) ?? numericTopLevelDomain(host);
}

/** Istio's ValidateWildcardDomain: an FQDN whose first label may be a wildcard (`*`, `*.example.com`). */
export function checkIstioWildcardDomain(host: string): string | undefined {
  return checkWildcardDomain(host) ?? numericTopLevelDomain(host);
}

/** Istio's ValidatePartialWildCard: `*` may only be the whole host or a leading `*.` label. */
export function checkPartialWildcard(host: string): string | undefined {
  if (host.includes('*') && host !== '*' && !host.startsWith('*.')) {
    return `partial wildcard "${host}" is not allowed (use "*" or a leading "*." label)`;
  }
  return undefined;
}

/** The dnsName part of a `namespace/dnsName` host in a Gateway server or Sidecar egress listener. */
function checkHostnamePart(host: string, isGateway: boolean): string | undefined {
  if (host !== '*' && !host.includes('.')) return `short name "${host}" is not allowed; use a fully qualified name such as ${host}.default.svc.cluster.local`;
  const err = checkIstioWildcardDomain(host);
  // A Gateway host may also be an IP address.
  if (err !== undefined && !(isGateway && isIpAddress(host))) return err;
  return checkPartialWildcard(host);
}

/**
 * A Gateway server host: `[namespace/]dnsName`, where namespace is `*` (any), `.` (the
 * Gateway's own) or a namespace name, and dnsName is `*`, a wildcard FQDN or an IP.
 */
export function checkGatewayHost(host: string): string | undefined {
  const slash = host.indexOf('/');
  if (slash === -1) return checkHostnamePart(host, true);
  return checkNamespacedHost(host.slice(0, slash), host.slice(slash + 1), true);
}

/**
 * A Sidecar egress host: `namespace/dnsName`, where namespace is `*`, `.`, `~` (none)
 * or a namespace name, and dnsName is `*` or a wildcard FQDN.
 */
export function checkSidecarEgressHost(host: string): string | undefined {
  const slash = host.indexOf('/');
  if (slash === -1) return `host "${host}" must be of the form namespace/dnsName (for example */${host} or ./${host})`;
  return checkNamespacedHost(host.slice(0, slash), host.slice(slash + 1), false);
}

function checkNamespacedHost(namespace: string, dnsName: string, isGateway: boolean): string | undefined {
  if (namespace === '' || dnsName === '') return 'namespace and dnsName in a namespace/dnsName host must not be empty';
  const special = isGateway ? ['*', '.'] : ['*', '.', '~'];
  if (!special.includes(namespace) && !isIstioLabel(namespace)) {
    return `invalid namespace "${namespace}" in host: use ${isGateway ? '"*", "."' : '"*", ".", "~"'} or a namespace name`;
  }
  return checkHostnamePart(dnsName, isGateway);
}

/**
 * Istio's ValidateUnixAddress for the part after `unix://`: an absolute file path not
 * ending in '/', or an abstract socket name starting with '@'.
 */
export function checkUnixAddress(path: string): string | undefined {
  if (path === '') return 'unix address must not be empty';
  if (path.startsWith('@')) return undefined;
  if (!path.startsWith('/') || path.endsWith('/')) return `unix address "${path}" must be an absolute path to a file, or an abstract socket name starting with "@"`;
  return undefined;
}

export const UNIX_PREFIX = 'unix://';
