import { isIP } from 'node:net';

/**
 * Host names as Istio resolves and matches them in routing resources. Short names (no
 * dot) are in the namespace of the resource that writes them, not of the service
 * (Istio's ResolveShortnameToFQDN); names with a dot are taken as written, so
 * `reviews.bookinfo` is not `reviews.bookinfo.svc.cluster.local`.
 */
export function resolveHost(host: string, namespace: string, clusterDomain: string): string {
  if (host === '*' || host.includes('.') || isIP(host) !== 0) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}

export function isIpHost(host: string): boolean {
  return isIP(host) !== 0;
}

/** Whether `pattern` (exact, `*`, or `*.suffix`) covers `host`, itself a name or a wildcard (Istio's host.Name.SubsetOf). */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host !== '*' && host.endsWith(pattern.slice(1));
}

/** Whether two hosts can match a common name (Istio's host.Name.Matches). */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/**
 * Whether something exported with `exportTo` (empty: everywhere, Istio's default) is
 * visible from `namespace`: `*` everywhere, `.` its own namespace, `~` nowhere, else the
 * named namespaces.
 */
export function visibleFrom(exportTo: readonly string[], ownNamespace: string, namespace: string): boolean {
  if (exportTo.length === 0) return true;
  return exportTo.some((entry) => entry === '*' || entry === namespace || (entry === '.' && ownNamespace === namespace));
}

/** Whether two resources' exportTo scopes share a namespace (`~` shares none). */
export function scopesOverlap(a: { exportTo: readonly string[]; namespace: string }, b: { exportTo: readonly string[]; namespace: string }): boolean {
  const scope = (r: { exportTo: readonly string[]; namespace: string }): Set<string> | '*' => {
    if (r.exportTo.length === 0 || r.exportTo.includes('*')) return '*';
    return new Set(r.exportTo.filter((e) => e !== '~').map((e) => (e === '.' ? r.namespace : e)));
  };
  const sa = scope(a);
  const sb = scope(b);
  if (sa === '*') return sb === '*' || sb.size > 0;
  if (sb === '*') return sa.size > 0;
  return [...sa].some((ns) => sb.has(ns));
}
