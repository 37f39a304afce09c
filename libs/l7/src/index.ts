// The L7 engine shared by the waypoint and the ingress gateway: it executes the
// ambit.l7.v1 RouteTables and Clusters the control plane compiles (docs/l7.md).
export { L7Engine } from './engine/l7-engine.js';
export type { L7EngineOptions } from './engine/l7-engine.js';
export { SYSTEM_CLOCK } from './engine/clock.js';
export { DEFAULT_MAX_HEADER_BYTES, DEFAULT_RETRY_BUFFER_BYTES } from './engine/limits.js';
export type {
  AuthorizeHook,
  AuthorizeRequest,
  AuthorizeResult,
  Clock,
  Endpoint,
  EndpointResolver,
  L7Resources,
  RequestContext,
  RequestInfo,
  RequestObserver,
  RequestSource,
  TimerHandle,
  UpstreamConnector,
} from './engine/types.js';
export type { DownstreamRequest } from './http/downstream-request.js';
export type { DownstreamResponse } from './engine/exchange.js';
export { DOWNSTREAM_SERVER_OPTIONS } from './http/downstream-server.js';
export { ResponseFlag } from './http/response-flags.js';
export { InvalidL7ResourceError, L7OptionError } from './errors.js';
export { UpstreamConnectError } from './upstream/upstream-errors.js';
