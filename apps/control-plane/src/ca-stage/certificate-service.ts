import { CsrTooLargeError, parseCsr, SpiffeId, type CertificateAuthority, type ParsedCsr } from '@ambit/crypto';
import { isAmbitError } from '@ambit/errors';
import { errorText, type Logger } from '@ambit/telemetry';
import { GrpcStatus, grpcStatusOf, type caV1, type CertificateAuthorityHandler, type CertificateCall, type XdsStreamError } from '@ambit/xds';
import { authorizeIdentity, describeCaller, type Caller, type CallerAuthentication, type WorkloadPlacement } from '../authn/index.js';
import { CertificateRequestTooLargeError, InvalidCertificateRequestError } from './errors.js';
import type { CaMetrics, RefusalReason } from './metrics.js';

/** Istio's ztunnel names the identity it asks for in this metadata key; when present it must match the CSR. */
export const IMPERSONATED_IDENTITY = 'ImpersonatedIdentity';

export interface CertificateServiceOptions {
  /** The CA stage (its CA exists once it has started, before the xDS port serves). */
  readonly ca: { readonly authority: CertificateAuthority };
  readonly authentication: CallerAuthentication;
  readonly placement: WorkloadPlacement;
  readonly trustDomain: string;
  readonly metrics: CaMetrics;
  readonly log: Logger;
}

/**
 * `CreateCertificate` as Istio's CA serves it to ztunnel and waypoints: authenticate the
 * caller, read the identity the CSR asks for (its one subjectAltName), authorize it for
 * the caller (node authorization), sign it for the requested lifetime (0: the default;
 * longer than the maximum: capped) and return the chain, leaf first. Every refusal is
 * counted by reason and logged with the caller, never with its token.
 */
export class CertificateService implements CertificateAuthorityHandler {
  readonly #options: CertificateServiceOptions;

  constructor(options: CertificateServiceOptions) {
    this.#options = options;
  }

  async createCertificate(request: caV1.CreateCertificateRequest, call: CertificateCall): Promise<readonly string[]> {
    const { authentication, ca, placement, trustDomain, metrics, log } = this.#options;
    metrics.received();
    let caller: Caller | undefined;
    let identity: SpiffeId | undefined;
    try {
      caller = await authentication.authenticate(call, call.signal);
      const authority = ca.authority;
      const ttlMs = requestedTtlMs(request.validityDuration, authority.maxTtlMs);
      const csr = signing(() => parseCsr(request.csr));
      identity = requestedIdentity(csr, request.metadata);
      authorizeIdentity(caller, identity, trustDomain, placement);
      const signed = signing(() => authority.sign(csr, { identity: identity!, ...(ttlMs === undefined ? {} : { ttlMs }) }));
      metrics.signed();
      log.debug('certificate issued', { caller: describeCaller(caller), identity: identity.toString(), serial: signed.serialNumber, expires: signed.notAfter.toISOString() });
      return signed.certChain;
    } catch (error) {
      metrics.refused(refusalReason(error));
      log.warn('certificate request refused', {
        caller: caller === undefined ? 'unauthenticated' : describeCaller(caller),
        ...(identity === undefined ? {} : { identity: identity.toString() }),
        remote: call.remoteAddress,
        error: errorText(error),
      });
      throw error;
    }
  }

  /** Requests the xDS library refused before they reached createCertificate (size, malformed, overload, timeout, shutdown). */
  refused(error: XdsStreamError, remoteAddress: string): void {
    // A timed-out request was counted as received when it reached createCertificate.
    if (error.code !== 'AMBIT_ERR_XDS_CA_TIMEOUT') this.#options.metrics.received();
    this.#options.metrics.refused(refusalReason(error));
    this.#options.log.warn('certificate request refused', { remote: remoteAddress, error: errorText(error) });
  }
}

/** The lifetime asked for: undefined for the CA's default (0, proto3's unset); capped at the maximum. */
function requestedTtlMs(seconds: number, maxTtlMs: number): number | undefined {
  if (!Number.isInteger(seconds) || seconds < 0) throw new InvalidCertificateRequestError(`validity_duration ${seconds} is negative: give 0 for the default, or a number of seconds`);
  if (seconds === 0) return undefined;
  return Math.min(seconds * 1000, maxTtlMs);
}

/** The one identity the CSR (its signature already checked by parseCsr) asks for, before anything is authorized. */
function requestedIdentity({ subjectAltNames }: ParsedCsr, metadata: caV1.CreateCertificateRequest['metadata']): SpiffeId {
  const [name] = subjectAltNames;
  if (name === undefined || subjectAltNames.length > 1) {
    throw new InvalidCertificateRequestError(`the CSR must carry exactly one subjectAltName, a SPIFFE ID; it carries ${subjectAltNames.length}`);
  }
  if (name.type !== 'uri') throw new InvalidCertificateRequestError(`the CSR's subjectAltName must be a SPIFFE ID URI, not a ${name.type === 'other' ? 'name of another type' : `${name.type.toUpperCase()} name`}`);
  const identity = signing(() => SpiffeId.parse(name.value));
  const hint = metadata[IMPERSONATED_IDENTITY];
  if (hint !== undefined && hint !== identity.toString()) {
    throw new InvalidCertificateRequestError(`metadata ${IMPERSONATED_IDENTITY} ${JSON.stringify(hint.slice(0, 300))} is not the CSR's identity ${identity.toString()}`);
  }
  return identity;
}

/** Runs a crypto step, turning its typed refusals into the CA service's (INVALID_ARGUMENT, or RESOURCE_EXHAUSTED for size). */
function signing<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof CsrTooLargeError) throw new CertificateRequestTooLargeError(error.message, error);
    if (isAmbitError(error) && error.code.startsWith('AMBIT_ERR_CRYPTO_')) throw new InvalidCertificateRequestError(error.message, error);
    throw error;
  }
}

const REASON_BY_CODE: Readonly<Record<string, RefusalReason>> = {
  AMBIT_ERR_CP_PROXY_IDENTITY: 'permission_denied',
  AMBIT_ERR_CP_IDENTITY_NOT_ALLOWED: 'permission_denied',
  AMBIT_ERR_CP_CSR_INVALID: 'invalid_argument',
  AMBIT_ERR_CP_CSR_TOO_LARGE: 'too_large',
  AMBIT_ERR_XDS_CA_REQUEST_TOO_LARGE: 'too_large',
  AMBIT_ERR_XDS_CA_INVALID_REQUEST: 'malformed',
  AMBIT_ERR_XDS_CA_BUSY: 'overloaded',
  AMBIT_ERR_XDS_CA_TIMEOUT: 'timeout',
};

const REASON_BY_STATUS: Readonly<Record<number, RefusalReason>> = {
  [GrpcStatus.UNAUTHENTICATED]: 'unauthenticated',
  [GrpcStatus.PERMISSION_DENIED]: 'permission_denied',
  [GrpcStatus.INVALID_ARGUMENT]: 'invalid_argument',
  [GrpcStatus.UNAVAILABLE]: 'unavailable',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'timeout',
};

function refusalReason(error: unknown): RefusalReason {
  const byCode = isAmbitError(error) ? REASON_BY_CODE[error.code] : undefined;
  return byCode ?? REASON_BY_STATUS[grpcStatusOf(error) ?? GrpcStatus.INTERNAL] ?? 'internal';
}
