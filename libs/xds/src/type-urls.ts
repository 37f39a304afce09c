import { TYPE_URL_PREFIX } from './proto/codec.js';

/** xDS type of the workloads and services a ztunnel routes to; resource name: workload uid or `namespace/hostname`. */
export const ADDRESS_TYPE_URL = `${TYPE_URL_PREFIX}ambit.workload.v1.Address`;
/** xDS type of L4 authorization policies; resource name: `namespace/name`. */
export const AUTHORIZATION_TYPE_URL = `${TYPE_URL_PREFIX}ambit.security.v1.Authorization`;
/** xDS type of a waypoint's or gateway's routes; resource name: `waypoint/<ns>/<name>/<hostname>:<port>` or `gateway/<ns>/<name>/<port>`. */
export const ROUTE_TABLE_TYPE_URL = `${TYPE_URL_PREFIX}ambit.l7.v1.RouteTable`;
/** xDS type of an upstream service port (and subset) with its traffic policy; resource name: `outbound|<port>|<subset>|<hostname>`. */
export const CLUSTER_TYPE_URL = `${TYPE_URL_PREFIX}ambit.l7.v1.Cluster`;
/** xDS type of an ingress gateway's servers; resource name: `namespace/name` of the Gateway. */
export const LISTENER_TYPE_URL = `${TYPE_URL_PREFIX}ambit.l7.v1.Listener`;
