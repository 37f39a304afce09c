// Wire types: one namespace per proto package, each with an interface and a codec per
// message (`workloadV1.Address` is both), a const object per enum.
export * as workloadV1 from './generated/ambit.workload.v1.js';
export * as securityV1 from './generated/ambit.security.v1.js';
export * as l7V1 from './generated/ambit.l7.v1.js';
export * as caV1 from './generated/ambit.ca.v1.js';
export * as discoveryV3 from './generated/envoy.service.discovery.v3.js';
export * as googleRpc from './generated/google.rpc.js';
export * as googleProtobuf from './generated/google.protobuf.js';
export { TYPE_URL_PREFIX } from './proto/codec.js';
export type { MessageCodec, MessageInit, MethodDescriptor } from './proto/codec.js';
export { fromStruct, toStruct } from './proto/struct.js';
export type { JsonObject, JsonValue } from './proto/struct.js';
export { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_TABLE_TYPE_URL } from './type-urls.js';

// Serving: resources in, delta xDS out.
export { DEFAULT_MAX_RESOURCE_BYTES, MAX_RESOURCE_NAME_LENGTH, MAX_VERSION_LENGTH, ResourceCache } from './cache/resource-cache.js';
export type { AppliedChanges, ResourceBatch, ResourceCacheOptions, VersionedResource } from './cache/resource-cache.js';
export { XDS_PORT, XdsServer } from './server/xds-server.js';
export type { ListenOptions, XdsServerOptions } from './server/xds-server.js';
export { DEFAULT_SERVER_LIMITS } from './server/limits.js';
export type { XdsServerLimits } from './server/limits.js';
export type { AdmitProxy, CallAuthentication, ProxyInfo, ResourceFilter } from './server/proxy-info.js';
export { MAX_NACK_MESSAGE, MAX_NACK_NAMES } from './server/sync-status.js';
export type { NackRecord, ProxySyncStatus, SentRecord, SyncState, TypeSyncStatus } from './server/sync-status.js';
export { WILDCARD } from './server/subscription-tracker.js';
export type { NackedChange } from './server/subscription-tracker.js';

// Consuming: what a proxy runs.
export { XdsClient } from './client/xds-client.js';
export type { XdsClientOptions, XdsClientStatus, XdsNode } from './client/xds-client.js';
export { watchResources } from './client/resource-watch.js';
// Jittered exponential backoff, for callers that retry like the client (certificate renewal).
export { Backoff } from './client/backoff.js';
export type { ResourceUpdate, ResourceWatch, UpdateHandler, WatchOptions } from './client/resource-watch.js';

// The mesh CA on the same port: the control plane's handler, and the client nodes call it with.
export type { CertificateAuthorityHandler, CertificateCall } from './ca/ca-service.js';
export { CaClient } from './ca/ca-client.js';
export type { CaClientOptions, CertificateRequest } from './ca/ca-client.js';
export { CaBusyError, CaRequestTooLargeError, CaTimeoutError, CertificateRequestError, InvalidCaRequestError } from './ca/errors.js';

// TLS on both ends (client certificates optional, bearer tokens beside them).
export { XdsServerCredentials } from './tls/server-credentials.js';
export { XdsClientCredentials } from './tls/client-credentials.js';
export type { ClientExpectations, ClientTlsMaterial } from './tls/client-credentials.js';
export type { TlsMaterial, TrustOnlyMaterial } from './tls/material.js';
export { isBearerToken, MAX_BEARER_TOKEN_LENGTH } from './tls/bearer-token.js';
export { readBearerTokenFile } from './tls/token-file.js';
export type { PeerIdentity } from './tls/peer.js';

// Observability and errors.
export { XDS_CHANNELS } from './channels.js';
export type { ClientDisconnectedEvent, ClientNackEvent, ConvergenceEvent, NackEvent, StaleNonceEvent, StreamClosedEvent, StreamOpenedEvent } from './channels.js';
export {
  AckTimeoutError,
  FirstRequestTimeoutError,
  GrpcStatus,
  grpcStatusOf,
  InvalidRequestError,
  InvalidResourceError,
  MalformedMessageError,
  MessageEncodeError,
  ProxyRejectedError,
  SendBufferFullError,
  ServerClosingError,
  statusName,
  TooManyNamesError,
  TooManyStreamsError,
  UnauthenticatedCallError,
  UnexpectedServerIdentityError,
  UnknownTypeUrlError,
  XdsClientClosedError,
  XdsConnectionError,
  XdsInternalError,
  XdsListenError,
  XdsOptionError,
  XdsStreamError,
  XdsSyncTimeoutError,
  XdsTlsError,
} from './errors.js';
