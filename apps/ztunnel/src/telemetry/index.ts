// Istio's TCP telemetry, shared by inbound (reporter "destination") and outbound (reporter "source").
export { parseBaggage } from './baggage.js';
export { countBytes } from './count-bytes.js';
export { TcpMetrics } from './tcp-metrics.js';
export type { TcpConnectionMetrics } from './tcp-metrics.js';
export { TCP_LABEL_NAMES, trafficLabels } from './traffic-labels.js';
export type { DerivedSource } from '@ambit/workload-state';
export type { Reporter, ResponseFlags, SecurityPolicy, TcpLabelName, TrafficLabels, TrafficPeers } from './traffic-labels.js';
