// The xDS stage: provider batches → translator → resource caches → delta xDS server over mutual TLS.
export { XdsStage } from './xds-stage.js';
export type { XdsStageOptions } from './xds-stage.js';
export { admitTrustDomain } from './admit.js';
export { ProxyIdentityError } from './errors.js';
export type { PipelineFailure } from './config-pipeline.js';
export { SERVED_TYPE_URLS } from './xds-caches.js';
export type { CachedResource } from './xds-caches.js';
