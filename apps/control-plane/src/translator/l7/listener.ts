import type { GatewayResource } from '@ambit/config-model';
import { l7V1, type MessageInit } from '@ambit/xds';
import type { Reads } from './deps.js';
import { serverHosts, type ServerHost } from './gateway-hosts.js';
import type { L7Lookup } from './lookup.js';
import { gatewayRouteTableName, listenerName } from './names.js';
import { sortedRecord } from './route-match.js';
import { gatewayRouteTable, type Compiled } from './route-tables.js';

type IstioServer = GatewayResource['spec']['servers'][number];

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'HTTPS']);
const PASSTHROUGH_MODES = new Set(['PASSTHROUGH', 'AUTO_PASSTHROUGH']);

/** What one Istio Gateway compiles to: its Listener and a route table per HTTP port. */
export interface GatewayOutputs {
  readonly listener: Compiled<l7V1.Listener> | undefined;
  readonly routeTables: readonly Compiled<l7V1.RouteTable>[];
}

/**
 * A networking.istio.io Gateway for the gateway proxies it selects: its servers, and
 * for each port with an HTTP server (HTTPS only when the gateway terminates TLS) the
 * route table of the VirtualServices bound to it.
 */
export function gatewayOutputs(lookup: L7Lookup, key: string, reads: Reads): GatewayOutputs {
  const gateway = lookup.gateway(key, reads);
  if (gateway === undefined) return { listener: undefined, routeTables: [] };
  const httpHosts = new Map<number, ServerHost[]>();
  const servers = gateway.spec.servers.map((server, i) => {
    const port = server.port.number;
    const routed = routesHttp(server);
    if (routed) httpHosts.set(port, [...(httpHosts.get(port) ?? []), ...serverHosts(server.hosts)]);
    return compileServer(server, i, routed ? gatewayRouteTableName(key, port) : '');
  });
  const routeTables = [...httpHosts].sort(([a], [b]) => a - b).map(([port, hosts]) => gatewayRouteTable(lookup, key, port, hosts, reads));
  const { namespace, name } = gateway.metadata;
  return { listener: [listenerName(namespace, name), { selector: sortedRecord(gateway.spec.selector ?? {}), servers }], routeTables };
}

function routesHttp(server: IstioServer): boolean {
  const protocol = server.port.protocol.toUpperCase();
  if (!HTTP_PROTOCOLS.has(protocol)) return false;
  return protocol !== 'HTTPS' || !PASSTHROUGH_MODES.has(server.tls?.mode ?? 'PASSTHROUGH');
}

function compileServer(server: IstioServer, index: number, routeTable: string): MessageInit<l7V1.Server> {
  const protocol = server.port.protocol.toUpperCase();
  const tls = server.tls;
  return {
    name: server.name ?? String(index),
    port: server.port.number,
    // Other Istio protocols (MONGO, MYSQL, …) are opaque TCP at a gateway.
    protocol: (l7V1.Server_Protocol as Record<string, l7V1.Server_Protocol>)[protocol] ?? l7V1.Server_Protocol.TCP,
    hosts: serverHosts(server.hosts).map((h) => h.host),
    tls:
      tls === undefined
        ? undefined
        : {
            mode: l7V1.ServerTls_Mode[tls.mode ?? 'PASSTHROUGH'],
            httpsRedirect: tls.httpsRedirect ?? false,
            credentialNames: [...(tls.credentialName === undefined || tls.credentialName === '' ? [] : [tls.credentialName]), ...(tls.credentialNames ?? [])],
            caCredentialName: tls.caCertCredentialName ?? '',
            subjectAltNames: tls.subjectAltNames ?? [],
            minProtocolVersion: tls.minProtocolVersion ?? '',
            maxProtocolVersion: tls.maxProtocolVersion ?? '',
            cipherSuites: tls.cipherSuites ?? [],
          },
    routeTable,
    bind: server.bind ?? '',
  };
}
