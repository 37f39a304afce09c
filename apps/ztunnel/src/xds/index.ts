// The xDS adapter: libs/xds's delta client feeding ztunnel's state.
export { XdsAdapter } from './xds-adapter.js';
export type { XdsAdapterOptions } from './xds-adapter.js';
export { registerXdsMetrics } from './metrics.js';
export type { XdsMetrics } from './metrics.js';
