// The one place the waypoint meets the L7 engine (libs/l7): its types, and the engine the waypoint runs.
export { createEngine } from './create-engine.js';
export type { EngineFactory, EngineOptions, RequestEngine, WaypointRequestContext } from './create-engine.js';
export { DOWNSTREAM_SERVER_OPTIONS } from '@ambit/l7';
export type { Endpoint, EndpointResolver, RequestContext, RequestInfo, RequestObserver, UpstreamConnector } from '@ambit/l7';
