// What Ambit's L7 proxies (waypoint, ingress gateway) share: the proxy's lifecycle, its
// identity and certificate, xDS and state, endpoints and HBONE upstream, HTTP on
// accepted connections, Istio's HTTP metrics, admin and readiness.
export { L7Proxy, ProxyAddressError, ProxyClosedError, ProxyNotListeningError } from './proxy/index.js';
export type { ProxyAddresses, ProxyContext, ProxyDefinition, ProxyFront, ProxyOptions } from './proxy/index.js';
export { PROXY_CONFIG_DEFAULTS, PROXY_SETTING, readProxyConfig, dialAddress, duration, ipAddress, listenAddress, network, nodeName, port, spiffeId, workloadUid } from './config/index.js';
export type { ProxyConfig, ProxySettingName } from './config/index.js';
export { createEngine, DOWNSTREAM_SERVER_OPTIONS, requestProtocol } from './engine/index.js';
export type { Endpoint, EndpointResolver, EngineFactory, EngineOptions, ProxyRequestContext, RequestContext, RequestDestination, RequestEngine, RequestInfo, RequestObserver, UpstreamConnector } from './engine/index.js';
export { AuthorizationRejectedError, ProxyAuthorization } from './authz/index.js';
export { HttpConnections, sniffHttp2 } from './http/index.js';
export type { ConnectionProtocol, HttpConnectionsOptions } from './http/index.js';
export { OwnCertificate, OwnCertificateError, readRootCerts, readToken, RootCertFileError, TokenFileError } from './identity/index.js';
export type { CertificateDump, CertificateIssuer, OwnCertificateOptions } from './identity/index.js';
export { canonicalIp, GATEWAY_ROUTE_TABLES, InvalidResourceError, MeshState, UpdateRejectedError, validateCluster, validateListener, WAYPOINT_ROUTE_TABLES } from './state/index.js';
export type { GatewayAddress, L7Check, L7Resources, MeshStateOptions, MeshView, RouteTableRules, Service, StateUpdate, Workload } from './state/index.js';
export { DURATION_BUCKETS_MS, REQUEST_LABEL_NAMES, RequestMetrics, requestLabels, SIZE_BUCKETS_BYTES } from './telemetry/index.js';
export type { ObservedRequest, Reporter, RequestLabelName, RequestLabels, RequestMetricsOptions, RequestPeers } from './telemetry/index.js';
export { HBONE_PORT, HboneUpstream, StateEndpoints, UpstreamClosedError } from './upstream/index.js';
export type { StateEndpointsOptions } from './upstream/index.js';
export { discoverOwnWorkload, findOwnWorkload, proxyMetadata, XdsAdapter } from './xds/index.js';
export type { L7Watch, OwnWorkloadOptions, ProxyRole, XdsAdapterOptions } from './xds/index.js';
export { configDump, createMetricsRegistry, EndpointListenError } from './admin/index.js';
