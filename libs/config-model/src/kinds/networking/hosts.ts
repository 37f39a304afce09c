import { checkWildcardDomain, isIpAddress, isIstioDnsLabel } from '../../schema/names.js';

/**
 * The host forms of Gateway servers (`[namespace/]dnsName`) and Sidecar egress
 * listeners (`namespace/dnsName`), and unix domain socket addresses, as Istio's
 * validation checks them. Each check returns an error message, or undefined when valid.
 */

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
  const err = checkWildcardDomain(host);
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
  if (!special.includes(namespace) && !isIstioDnsLabel(namespace)) {
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
