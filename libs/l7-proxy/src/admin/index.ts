// A proxy's admin surface: config dump, metrics registry, endpoint errors.
export { configDump } from './config-dump.js';
export type { ConfigDumpInput } from './config-dump.js';
export { EndpointListenError } from './errors.js';
export { createMetricsRegistry } from './metrics-registry.js';
