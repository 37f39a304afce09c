// The ingress gateway as a library: the process entry and the object it runs (local mode may start it in process).
export { main } from './main.js';
export type { MainOptions } from './main.js';
export { IngressGateway } from './ingress-gateway.js';
export type { GatewayAddresses, GatewayOptions } from './ingress-gateway.js';
export { buildConfig, ConfigError, listenPort } from './config/index.js';
export type { GatewayConfig } from './config/index.js';
export { CredentialError } from './credentials/index.js';
export { GatewayListenError } from './listeners/index.js';
export type { PortStatus } from './listeners/index.js';
