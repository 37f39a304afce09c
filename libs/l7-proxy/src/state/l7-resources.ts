import { l7V1 } from '@ambit/xds';
import { InvalidResourceError } from './errors.js';

/**
 * What a proxy relies on in the route tables it receives, beyond what the engine checks
 * (routes and matches): their name and listener context. `contextKey`, when given, is
 * the key a proxy finds a table by (one table per key).
 */
export interface RouteTableRules {
  validate(name: string, table: l7V1.RouteTable): l7V1.RouteTable;
  contextKey?(table: l7V1.RouteTable): string;
}

const checkPort = (fail: (field: string, problem: string) => never, field: string, port: number): void => {
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(field, `${port} is not a port (1 to 65535)`);
};

/**
 * A waypoint's tables (the control plane's `waypointRoutePrefix`): each serves one
 * service port, the context the HBONE `:authority` selects it by, and is named after it,
 * `waypoint/<ns>/<waypoint>/<hostname>:<port>`. Keyed `namespace/hostname:port`.
 */
export const WAYPOINT_ROUTE_TABLES: RouteTableRules = {
  validate(name, table) {
    const fail = failer('RouteTable', name);
    if (!name.startsWith('waypoint/') || name.split('/').length < 4) fail('name', 'is not a waypoint route table name (waypoint/<namespace>/<name>/<hostname>:<port>)');
    if (table.context !== 'service') return fail('service', `is required: a waypoint route table serves one service port${table.context === 'gatewayPort' ? " (this one is a gateway port's)" : ''}`);
    const { namespace, hostname, port } = table.service;
    if (namespace === '') fail('service.namespace', 'is required');
    if (hostname === '') fail('service.hostname', 'is required');
    checkPort(fail, 'service.port', port);
    if (!name.endsWith(`/${hostname}:${port}`)) fail('service', `${hostname}:${port} is not the service port the name ends with`);
    return table;
  },
  contextKey(table) {
    if (table.context !== 'service') throw new TypeError('not a waypoint route table');
    return `${table.service.namespace}/${table.service.hostname}:${table.service.port}`;
  },
};

/**
 * A gateway's tables (the control plane's `gatewayRoutePrefix`): one per server port of
 * a Gateway, `gateway/<ns>/<gateway>/<port>`. A Listener's server names its table, so
 * no other key is needed (two Gateways may each have a table for port 80).
 */
export const GATEWAY_ROUTE_TABLES: RouteTableRules = {
  validate(name, table) {
    const fail = failer('RouteTable', name);
    if (!name.startsWith('gateway/') || name.split('/').length !== 4) fail('name', 'is not a gateway route table name (gateway/<namespace>/<name>/<port>)');
    if (table.context !== 'gatewayPort') return fail('gatewayPort', `is required: a gateway route table serves one server port${table.context === 'service' ? " (this one is a waypoint's)" : ''}`);
    checkPort(fail, 'gatewayPort', table.gatewayPort);
    if (!name.endsWith(`/${table.gatewayPort}`)) fail('gatewayPort', `${table.gatewayPort} is not the port the name ends with`);
    return table;
  },
};

/** A Cluster names the service whose endpoints it reaches (`namespace/hostname`) and the service port. */
export function validateCluster(name: string, cluster: l7V1.Cluster): l7V1.Cluster {
  const fail = failer('Cluster', name);
  if (!/^[^/]+\/[^/]+$/.test(cluster.service)) fail('service', `${JSON.stringify(cluster.service)} is not a service key of the form namespace/hostname`);
  checkPort(fail, 'port', cluster.port);
  return cluster;
}

const TERMINATED = new Set<number>([l7V1.ServerTls_Mode.SIMPLE, l7V1.ServerTls_Mode.MUTUAL]);

/**
 * What a gateway relies on in a Listener: ports, a known protocol, a route table for
 * every server that serves HTTP, a TLS block for every server that speaks TLS.
 */
export function validateListener(name: string, listener: l7V1.Listener): l7V1.Listener {
  const fail = failer('Listener', name);
  if (!/^[^/]+\/[^/]+$/.test(name)) fail('name', 'is not a Gateway name of the form namespace/name');
  listener.servers.forEach((server, i) => {
    const at = `servers[${i}]`;
    checkPort(fail, `${at}.port`, server.port);
    if (!Object.values(l7V1.Server_Protocol).includes(server.protocol)) fail(`${at}.protocol`, `${server.protocol} is not a protocol of ambit.l7.v1.Server`);
    const tls = server.tls?.mode;
    const terminated = tls !== undefined && TERMINATED.has(tls);
    if ((server.protocol === l7V1.Server_Protocol.HTTPS || server.protocol === l7V1.Server_Protocol.TLS) && server.tls === null) fail(`${at}.tls`, 'is required for HTTPS and TLS servers');
    const http = server.protocol === l7V1.Server_Protocol.HTTP || server.protocol === l7V1.Server_Protocol.HTTP2 || server.protocol === l7V1.Server_Protocol.GRPC || (server.protocol === l7V1.Server_Protocol.HTTPS && terminated);
    if (http && server.routeTable === '' && server.tls?.httpsRedirect !== true) fail(`${at}.routeTable`, 'is required for a server that serves HTTP');
    if (terminated && (server.tls?.credentialNames.length ?? 0) === 0) fail(`${at}.tls.credentialNames`, 'is required for SIMPLE and MUTUAL TLS');
  });
  return listener;
}

function failer(type: string, name: string): (field: string, problem: string) => never {
  return (field, problem) => {
    throw new InvalidResourceError(type, name, field, problem);
  };
}
