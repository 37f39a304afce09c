// Istio's HTTP telemetry, reporter="waypoint": the engine's RequestObserver.
export { DURATION_BUCKETS_MS, RequestMetrics, SIZE_BUCKETS_BYTES } from './request-metrics.js';
export type { ObservedRequest } from './request-metrics.js';
export { REQUEST_LABEL_NAMES, requestLabels } from './request-labels.js';
export type { RequestLabelName, RequestLabels, RequestPeers } from './request-labels.js';
