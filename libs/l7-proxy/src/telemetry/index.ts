// Istio's HTTP telemetry (reporter="waypoint" or "source"): the engine's RequestObserver.
export { DURATION_BUCKETS_MS, RequestMetrics, SIZE_BUCKETS_BYTES } from './request-metrics.js';
export type { ObservedRequest, RequestMetricsOptions } from './request-metrics.js';
export { REQUEST_LABEL_NAMES, requestLabels } from './request-labels.js';
export type { Reporter, RequestLabelName, RequestLabels, RequestPeers } from './request-labels.js';
