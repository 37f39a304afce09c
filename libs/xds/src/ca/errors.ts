import { AmbitError } from '@ambit/errors';
import { clip, GrpcStatus, statusName, XdsStreamError } from '../errors.js';

/**
 * How the CA service refuses a call before (or instead of) the control plane's handler,
 * and how the CA client reports a failed call. Codes are listed in docs/xds.md.
 */

export class CaRequestTooLargeError extends XdsStreamError {
  constructor(bytes: number, limit: number) {
    super('AMBIT_ERR_XDS_CA_REQUEST_TOO_LARGE', GrpcStatus.RESOURCE_EXHAUSTED, `a CreateCertificateRequest of ${bytes} bytes exceeds the limit of ${limit}`, {
      hint: 'a workload CSR is under 2 KiB; send one CSR per request',
    });
  }
}

export class InvalidCaRequestError extends XdsStreamError {
  constructor(reason: string) {
    super('AMBIT_ERR_XDS_CA_INVALID_REQUEST', GrpcStatus.INVALID_ARGUMENT, `invalid CreateCertificateRequest: ${clip(reason)}`, {
      hint: 'is the client speaking a different version of proto/ambit/ca/v1/ca.proto?',
    });
  }
}

export class CaBusyError extends XdsStreamError {
  constructor(limit: number) {
    super('AMBIT_ERR_XDS_CA_BUSY', GrpcStatus.RESOURCE_EXHAUSTED, `the CA already handles ${limit} requests`, { hint: 'retry with backoff' });
  }
}

export class CaTimeoutError extends XdsStreamError {
  constructor(timeoutMs: number) {
    super('AMBIT_ERR_XDS_CA_TIMEOUT', GrpcStatus.DEADLINE_EXCEEDED, `the certificate request was not answered within ${timeoutMs} ms`, {
      hint: 'is the control plane overloaded, or its token reviewer slow?',
    });
  }
}

/** A CreateCertificate call failed: refused by the CA (its status and details), or unreachable, or answered with no certificate. */
export class CertificateRequestError extends AmbitError {
  readonly grpcCode: number;

  constructor(target: string, grpcCode: number, details: string) {
    super('AMBIT_ERR_XDS_CA_CALL', `CreateCertificate at ${target} failed: ${statusName(grpcCode)}: ${clip(details)}`, {
      hint: hintFor(grpcCode),
    });
    this.grpcCode = grpcCode;
  }
}

function hintFor(grpcCode: number): string {
  switch (grpcCode) {
    case GrpcStatus.UNAUTHENTICATED:
      return 'is the node token (or client certificate) one the control plane accepts, and not expired?';
    case GrpcStatus.PERMISSION_DENIED:
      return 'a node may only obtain identities of workloads scheduled on it, and a proxy only its own';
    case GrpcStatus.INVALID_ARGUMENT:
      return "the CSR must carry exactly one subjectAltName, the workload's SPIFFE ID";
    default:
      return 'is the control plane reachable on port 15012, and does the client trust its certificate?';
  }
}
