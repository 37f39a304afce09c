// ztunnel as a library: the process entry and the object it runs (local mode starts several in one process).
export { main } from './main.js';
export type { MainOptions } from './main.js';
export { Ztunnel, ZtunnelClosedError, ZtunnelNotListeningError } from './ztunnel.js';
export type { ZtunnelAddresses, ZtunnelOptions } from './ztunnel.js';
export { buildConfig, ConfigError } from './config/index.js';
export type { ZtunnelConfig } from './config/index.js';
export type { CertificateSource, CertificatesDump } from './identity/index.js';
export type { Connector, OutboundPlan } from './outbound/index.js';
