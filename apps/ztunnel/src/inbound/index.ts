// ztunnel's inbound side (local mode): HBONE on <podIP>:15008 and plaintext on <podIP>:15006, with L4 authorization.
export { Inbound } from './inbound.js';
export type { InboundOptions } from './inbound.js';
export type { HboneInboundOptions, HboneInboundTuning } from './hbone-inbound.js';
export type { PlaintextInboundOptions } from './plaintext-inbound.js';
export type { WorkloadCertificateProvider } from './certificate-provider.js';
export type { InboundPath, InboundPathStatus } from './inbound-stats.js';
export { InboundDeniedError, InboundDestinationError, InboundListenError, InboundPortError, InboundRefusedError, InboundSelfCallError } from './errors.js';
