// Admin (:15000 config dump), metrics (:15020) and readiness (:15021) over HTTP.
export { configDump } from './config-dump.js';
export type { ConfigDumpSources } from './config-dump.js';
export { EndpointListenError } from './errors.js';
export { HttpEndpoint, jsonAnswer, textAnswer } from './http-endpoint.js';
export type { HttpAnswer, HttpEndpointOptions, HttpHandler } from './http-endpoint.js';
export { createMetricsRegistry } from './metrics.js';
export { readiness } from './readiness.js';
export type { Readiness, ReadinessCheck } from './readiness.js';
