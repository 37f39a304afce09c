// What ztunnel serves on its admin (:15000 config dump), metrics (:15020) and readiness (:15021)
// ports; the endpoints themselves are @ambit/process's HttpEndpoint.
export { configDump } from './config-dump.js';
export type { ConfigDumpSources } from './config-dump.js';
export { EndpointListenError } from './errors.js';
export { createMetricsRegistry } from './metrics.js';
