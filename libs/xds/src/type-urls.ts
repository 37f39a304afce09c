import { TYPE_URL_PREFIX } from './proto/codec.js';

/** xDS type of the workloads and services a ztunnel routes to; resource name: workload uid or `namespace/hostname`. */
export const ADDRESS_TYPE_URL = `${TYPE_URL_PREFIX}ambit.workload.v1.Address`;
/** xDS type of L4 authorization policies; resource name: `namespace/name`. */
export const AUTHORIZATION_TYPE_URL = `${TYPE_URL_PREFIX}ambit.security.v1.Authorization`;
