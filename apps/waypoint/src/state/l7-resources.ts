import type { l7V1 } from '@ambit/xds';
import { InvalidResourceError } from './errors.js';

/** The first segment of every route table a waypoint is sent (the control plane's `waypointRoutePrefix`). */
export const WAYPOINT_ROUTE_PREFIX = 'waypoint/';

/**
 * What the waypoint itself must be able to rely on in a RouteTable: it serves one
 * service port (the context the HBONE `:authority` selects it by) and is named after it,
 * `waypoint/<ns>/<waypoint>/<hostname>:<port>`. Routes and matches are the engine's to check.
 */
export function validateRouteTable(name: string, table: l7V1.RouteTable): l7V1.RouteTable {
  const fail = (field: string, problem: string): never => {
    throw new InvalidResourceError('RouteTable', name, field, problem);
  };
  if (!name.startsWith(WAYPOINT_ROUTE_PREFIX) || name.split('/').length < 4) fail('name', 'is not a waypoint route table name (waypoint/<namespace>/<name>/<hostname>:<port>)');
  if (table.context !== 'service') return fail('service', `is required: a waypoint route table serves one service port${table.context === 'gatewayPort' ? ' (this one is a gateway port\'s)' : ''}`);
  const { namespace, hostname, port } = table.service;
  if (namespace === '') fail('service.namespace', 'is required');
  if (hostname === '') fail('service.hostname', 'is required');
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('service.port', `${port} is not a port (1 to 65535)`);
  if (!name.endsWith(`/${hostname}:${port}`)) fail('service', `${hostname}:${port} is not the service port the name ends with`);
  return table;
}

/** The route table's service port as `namespace/hostname:port` (a validated table). */
export function routeTableContextKey(table: l7V1.RouteTable): string {
  if (table.context !== 'service') throw new TypeError('not a waypoint route table');
  return `${table.service.namespace}/${table.service.hostname}:${table.service.port}`;
}

/** A Cluster names the service whose endpoints it reaches (`namespace/hostname`) and the service port. */
export function validateCluster(name: string, cluster: l7V1.Cluster): l7V1.Cluster {
  const fail = (field: string, problem: string): never => {
    throw new InvalidResourceError('Cluster', name, field, problem);
  };
  if (!/^[^/]+\/[^/]+$/.test(cluster.service)) fail('service', `${JSON.stringify(cluster.service)} is not a service key of the form namespace/hostname`);
  if (!Number.isInteger(cluster.port) || cluster.port < 1 || cluster.port > 65535) fail('port', `${cluster.port} is not a port (1 to 65535)`);
  return cluster;
}
