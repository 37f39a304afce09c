import { AmbitError } from '@ambit/errors';
import { GrpcStatus } from '@ambit/xds';

/**
 * Why the CA service refuses a request's content (its caller has been authenticated).
 * Each carries the gRPC status the caller receives as `grpcCode`.
 */

/** The CSR or the requested lifetime cannot be used: not a CSR, not exactly one SPIFFE ID, a negative duration, … */
export class InvalidCertificateRequestError extends AmbitError {
  readonly grpcCode = GrpcStatus.INVALID_ARGUMENT;

  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_CSR_INVALID', `certificate request refused: ${reason}`, {
      hint: "send a PEM PKCS#10 CSR whose only subjectAltName is the workload's SPIFFE ID (createCsr of @ambit/crypto), and a validity_duration of 0 (the default) or more seconds",
      cause,
    });
  }
}

/** The CSR is larger than the CA reads (8 KiB of PEM). */
export class CertificateRequestTooLargeError extends AmbitError {
  readonly grpcCode = GrpcStatus.RESOURCE_EXHAUSTED;

  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_CSR_TOO_LARGE', `certificate request refused: ${reason}`, {
      hint: 'a workload CSR with one SPIFFE ID is under 2 KiB; send one CSR per request',
      cause,
    });
  }
}
