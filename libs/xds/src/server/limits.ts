import { XdsOptionError } from '../errors.js';

const MiB = 1024 * 1024;

/**
 * Bounds on what one proxy can make the server hold or wait for. Every limit ends the
 * offending stream with a gRPC status naming it; none affects other streams.
 */
export interface XdsServerLimits {
  /** Concurrent xDS streams (proxies) on this server; more get RESOURCE_EXHAUSTED. */
  readonly maxStreams: number;
  /** Largest request message; gRPC refuses bigger ones with RESOURCE_EXHAUSTED. */
  readonly maxRequestBytes: number;
  /** Responses are split to stay under this (a single larger resource goes alone). */
  readonly maxResponseBytes: number;
  /** Bytes written to a stream but not yet taken by the transport; beyond it the stream is dropped. */
  readonly maxSendBufferBytes: number;
  /** Names in one request (subscribe + unsubscribe + initial_resource_versions). */
  readonly maxNamesPerRequest: number;
  /** Names one stream may subscribe to explicitly, across types. */
  readonly maxSubscribedNamesPerStream: number;
  /** Time from opening a stream to its first request. */
  readonly firstRequestTimeoutMs: number;
  /** Time a proxy has to ACK or NACK a response. */
  readonly ackTimeoutMs: number;
  /** HTTP/2 keepalive pings find dead connections. */
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  /**
   * Connections are closed after this age (plus grace), as istiod does, so that proxies
   * rebalance across replicas and no connection outlives a stuck peer indefinitely.
   */
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  /** Largest CreateCertificateRequest (CSR and metadata); bigger ones get RESOURCE_EXHAUSTED unread. */
  readonly maxCertificateRequestBytes: number;
  /** Time the CA handler has to answer one request (authentication included); then DEADLINE_EXCEEDED. */
  readonly certificateRequestTimeoutMs: number;
  /** CreateCertificate calls in progress at once; more get RESOURCE_EXHAUSTED. */
  readonly maxPendingCertificateRequests: number;
}

export const DEFAULT_SERVER_LIMITS: XdsServerLimits = Object.freeze({
  maxStreams: 10_000,
  maxRequestBytes: 4 * MiB,
  maxResponseBytes: 16 * MiB,
  maxSendBufferBytes: 32 * MiB,
  maxNamesPerRequest: 100_000,
  maxSubscribedNamesPerStream: 100_000,
  firstRequestTimeoutMs: 30_000,
  ackTimeoutMs: 60_000,
  keepaliveTimeMs: 30_000,
  keepaliveTimeoutMs: 10_000,
  maxConnectionAgeMs: 30 * 60_000,
  maxConnectionAgeGraceMs: 10_000,
  maxCertificateRequestBytes: 32 * 1024,
  certificateRequestTimeoutMs: 10_000,
  maxPendingCertificateRequests: 1_000,
});

export function serverLimits(overrides: Partial<XdsServerLimits> = {}): XdsServerLimits {
  const limits: XdsServerLimits = { ...DEFAULT_SERVER_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new XdsOptionError(`limits.${name}`, value, 'must be a positive integer');
  }
  if (limits.maxSendBufferBytes < limits.maxResponseBytes) {
    throw new XdsOptionError('limits.maxSendBufferBytes', limits.maxSendBufferBytes, `must be at least limits.maxResponseBytes (${limits.maxResponseBytes})`);
  }
  return Object.freeze(limits);
}
