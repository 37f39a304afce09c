// The xDS stage: provider batches → translator → resource caches → delta xDS server over TLS (and the CA service beside it).
export { XdsStage } from './xds-stage.js';
export type { XdsStageOptions } from './xds-stage.js';
export { admitCallers, GATEWAY_ROLE, proxyScope, ROLE_METADATA, WAYPOINT_ROLE } from './admit.js';
export { L7Visibility } from './l7-visibility.js';
export type { ProxyScope } from './l7-visibility.js';
export type { PipelineFailure } from './config-pipeline.js';
export { SERVED_TYPE_URLS } from './xds-caches.js';
export type { CachedResource } from './xds-caches.js';
