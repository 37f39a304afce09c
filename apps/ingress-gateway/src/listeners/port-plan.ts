import { l7V1 } from '@ambit/xds';

/** One Gateway server as a port serves it. */
export interface PlannedServer {
  /** `<gateway namespace>/<gateway name>/<server name>`: for logs and the dump. */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly routeTable: string;
  readonly tls: l7V1.ServerTls | null;
  /** The address to bind ('' : the gateway's pod IP). */
  readonly bind: string;
}

/** What one port serves: plain HTTP (HTTP, HTTP2, GRPC servers) or HTTPS terminated here (SIMPLE, MUTUAL). */
export interface PortPlan {
  readonly port: number;
  readonly kind: 'http' | 'https';
  readonly servers: readonly PlannedServer[];
}

/** A server the gateway does not serve, and why. */
export interface SkippedServer {
  readonly name: string;
  readonly port: number;
  readonly reason: string;
}

const P = l7V1.Server_Protocol;
const M = l7V1.ServerTls_Mode;

/**
 * The ports to serve from the Listeners received, in name order (a gateway serves their
 * union). A port serves servers of one kind: the first server decides, servers of the
 * other kind on it are skipped (Istio reports such a conflict too). TCP, TLS and
 * PASSTHROUGH servers are skipped: the gateway routes HTTP only.
 */
export function planPorts(listeners: ReadonlyMap<string, l7V1.Listener>): { readonly ports: ReadonlyMap<number, PortPlan>; readonly skipped: readonly SkippedServer[] } {
  const ports = new Map<number, { kind: PortPlan['kind']; servers: PlannedServer[] }>();
  const skipped: SkippedServer[] = [];
  for (const [gateway, listener] of [...listeners].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const server of listener.servers) {
      const name = `${gateway}/${server.name}`;
      const kind = kindOf(server);
      if (typeof kind !== 'string' || (kind !== 'http' && kind !== 'https')) {
        skipped.push({ name, port: server.port, reason: kind.reason });
        continue;
      }
      const planned = ports.get(server.port) ?? { kind, servers: [] };
      if (planned.kind !== kind) {
        skipped.push({ name, port: server.port, reason: `port ${server.port} already serves ${planned.kind.toUpperCase()} (${planned.servers[0]!.name})` });
        continue;
      }
      planned.servers.push({ name, hosts: server.hosts, routeTable: server.routeTable, tls: server.tls, bind: server.bind });
      ports.set(server.port, planned);
    }
  }
  return { ports: new Map([...ports].map(([port, plan]) => [port, { port, ...plan }])), skipped };
}

function kindOf(server: l7V1.Server): PortPlan['kind'] | { reason: string } {
  switch (server.protocol) {
    case P.HTTP:
    case P.HTTP2:
    case P.GRPC:
      return 'http';
    case P.HTTPS:
      if (server.tls?.mode === M.SIMPLE || server.tls?.mode === M.MUTUAL) return 'https';
      return { reason: `TLS mode ${modeName(server.tls?.mode)} is not served (SIMPLE and MUTUAL are)` };
    default:
      return { reason: `protocol ${Object.entries(P).find(([, v]) => v === server.protocol)?.[0] ?? server.protocol} is not served (HTTP, HTTP2, GRPC and HTTPS are)` };
  }
}

function modeName(mode: number | undefined): string {
  return Object.entries(M).find(([, v]) => v === mode)?.[0] ?? 'unset';
}

/**
 * The server a request or handshake for `host` belongs to: an exact host, else the
 * longest matching `*.suffix`, else `*` (Envoy's server-name order); a `namespace/` part
 * of a host is the control plane's and is ignored here. Undefined when none matches.
 */
export function serverFor(servers: readonly PlannedServer[], host: string | undefined): PlannedServer | undefined {
  const name = (host ?? '').toLowerCase();
  let best: { server: PlannedServer; score: number } | undefined;
  for (const server of servers) {
    for (const written of server.hosts) {
      const pattern = written.slice(written.indexOf('/') + 1).toLowerCase();
      const score = pattern === name ? Infinity : pattern === '*' ? 0 : pattern.startsWith('*.') && name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 ? pattern.length : -1;
      if (score >= 0 && (best === undefined || score > best.score)) best = { server, score };
    }
  }
  return best?.server;
}

/** The host of a Host header or `:authority`, without its port. */
export function hostOf(authority: string | undefined): string | undefined {
  if (authority === undefined) return undefined;
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? authority : authority.slice(0, colon);
}
