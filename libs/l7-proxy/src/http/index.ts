// HTTP/1.1 and HTTP/2 (prior knowledge) served on the connections a proxy accepts.
export { HttpConnections } from './http-connections.js';
export type { ConnectionProtocol, HttpConnectionsOptions } from './http-connections.js';
export { sniffHttp2 } from './sniff-http2.js';
