// An L7 proxy's lifecycle (identity, certificate, xDS, engine, admin), shared by the waypoint and the gateway.
export { L7Proxy } from './l7-proxy.js';
export type { ProxyAddresses, ProxyContext, ProxyDefinition, ProxyFront, ProxyOptions } from './l7-proxy.js';
export { ProxyAddressError, ProxyClosedError, ProxyNotListeningError } from './errors.js';
