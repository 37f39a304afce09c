export { HboneServer } from './server/hbone-server.js';
export type { HboneHandler, HboneServerOptions, HboneServerStats } from './server/hbone-server.js';
export { HboneInboundRequest } from './server/inbound-request.js';
export type { HboneInboundInfo } from './server/inbound-request.js';
export { HbonePool } from './client/hbone-pool.js';
export type { HboneConnectRequest, HbonePoolOptions, HbonePoolStats, HboneSocketRequest } from './client/hbone-pool.js';
export { relay } from './relay.js';
export type { RelayResult } from './relay.js';
export { MeshTrust } from './tls/credentials.js';
export type { WorkloadCertificate } from './tls/credentials.js';
export { DEFAULT_HTTP2, TUNED_HTTP2 } from './tuning.js';
export type { Http2Tuning } from './tuning.js';
export { formatAuthority, parseAuthority } from './wire/authority.js';
export type { IpPort } from './wire/authority.js';
export { forwardedClientIp, forwardedFor } from './wire/headers.js';
export type { HboneRequestHeaders } from './wire/headers.js';
export {
  HboneCertificateError,
  HboneClientIdentityError,
  HboneConnectError,
  HboneHandlerError,
  HboneOptionError,
  HbonePoolClosedError,
  HboneRefusedError,
  HboneServerIdentityError,
  HboneServerListenError,
  HboneStreamError,
  HboneTimeoutError,
  HboneTlsError,
} from './errors.js';
export type { HbonePhase } from './errors.js';
