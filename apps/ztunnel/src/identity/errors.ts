import { AmbitError } from '@ambit/errors';
import { GrpcStatus, type CertificateRequestError } from '@ambit/xds';

/** A certificate, key or trust bundle file given to ztunnel cannot be read or used. */
export class CertificateFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CERT_FILE', `${file}: ${problem}`, {
      hint: 'give PEM files with --xds-cert (chain, leaf first), --xds-key and --xds-root-cert',
      cause,
    });
    this.file = file;
  }
}

/** The `--xds-token-file` cannot be read or holds no usable token. The message names the file, never its content. */
export class TokenFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_TOKEN_FILE', `${file}: ${problem}`, {
      hint: "give --xds-token-file a file holding this node's token from the control plane's --node-tokens file (one line of RFC 6750 token characters)",
      cause,
    });
    this.file = file;
  }
}

/**
 * No certificate could be obtained for a workload identity: the CA refused it, could not
 * be reached, or answered with a chain that does not verify. `denied` (the CA's
 * PERMISSION_DENIED: the identity is not one of a workload scheduled on this node) is
 * not retried until the node's workloads change.
 */
export class WorkloadCertificateError extends AmbitError {
  readonly identity: string;
  readonly denied: boolean;

  constructor(identity: string, cause: unknown) {
    const denied = (cause as Partial<CertificateRequestError> | undefined)?.grpcCode === GrpcStatus.PERMISSION_DENIED;
    super('AMBIT_ERR_ZTUNNEL_WORKLOAD_CERT', `no certificate for ${identity}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: denied
        ? "the CA issues a node only identities of workloads scheduled on it: is the workload's spec.nodeName this ztunnel's --node-name?"
        : 'is the control plane reachable on its xDS port, and does it accept this node\'s token or certificate?',
      cause,
    });
    this.identity = identity;
    this.denied = denied;
  }
}

/** A certificate was asked of the workload certificate manager after close(). */
export class CertificateManagerClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_ZTUNNEL_CERTIFICATES_CLOSED', 'the workload certificate manager was closed', { hint: 'ztunnel is shutting down; new connections are not served' });
  }
}

/** An option given to the workload certificate manager cannot be used (a bug in the caller). */
export class CertificateManagerOptionError extends AmbitError {
  constructor(option: string, value: string, problem: string) {
    super('AMBIT_ERR_ZTUNNEL_CERTIFICATES_OPTION', `WorkloadCertificates option ${option} = ${value} ${problem}`, { hint: 'check how ztunnel builds its certificate manager' });
  }
}
