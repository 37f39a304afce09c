// A proxy's xDS clients: who it is (Address, with the node's token), then Address and its L7 resources (with its certificate).
export { discoverOwnWorkload, findOwnWorkload } from './own-workload.js';
export type { OwnWorkloadOptions } from './own-workload.js';
export { proxyMetadata, XdsAdapter } from './xds-adapter.js';
export type { L7Watch, ProxyRole, XdsAdapterOptions } from './xds-adapter.js';
