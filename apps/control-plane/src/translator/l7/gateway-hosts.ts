import { hostCovers } from '@ambit/mesh-model';

/** A Gateway server host: `[namespace/]host`, the namespace part saying whose VirtualServices it admits. */
export interface ServerHost {
  /** `*` (any), `.` (the Gateway's), or a namespace. */
  readonly namespace: string;
  readonly host: string;
}

/** Istio's `namespace/host` forms; a host without namespace admits every namespace. */
export function serverHosts(hosts: readonly string[]): ServerHost[] {
  return hosts.map((h) => {
    const slash = h.indexOf('/');
    return slash === -1 ? { namespace: '*', host: h } : { namespace: h.slice(0, slash), host: h.slice(slash + 1) };
  });
}

/**
 * The domains a VirtualService serves through a Gateway: each of its hosts that a
 * server host covers (kept as the VirtualService writes it), or the server host when
 * it is the narrower one (Istio's host intersection), for server hosts that admit the
 * VirtualService's namespace.
 */
export function intersectHosts(vsHosts: readonly string[], serverHostList: readonly ServerHost[], vsNamespace: string, gatewayNamespace: string): string[] {
  const domains = new Set<string>();
  for (const server of serverHostList) {
    const admits = server.namespace === '*' || server.namespace === vsNamespace || (server.namespace === '.' && vsNamespace === gatewayNamespace);
    if (!admits) continue;
    for (const host of vsHosts) {
      if (hostCovers(server.host, host)) domains.add(host);
      else if (hostCovers(host, server.host)) domains.add(server.host);
    }
  }
  return [...domains];
}
