// The one place a proxy meets the L7 engine (libs/l7): its types, and the engine the proxy runs.
export { createEngine, requestProtocol } from './create-engine.js';
export type { EngineFactory, EngineOptions, ProxyRequestContext, RequestDestination, RequestEngine } from './create-engine.js';
export { DOWNSTREAM_SERVER_OPTIONS } from '@ambit/l7';
export type { Endpoint, EndpointResolver, RequestContext, RequestInfo, RequestObserver, UpstreamConnector } from '@ambit/l7';
