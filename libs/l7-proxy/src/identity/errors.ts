import { AmbitError } from '@ambit/errors';

/** The `--xds-root-cert` file cannot be read or holds no PEM certificate. */
export class RootCertFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_PROXY_ROOT_CERT_FILE', `${file}: ${problem}`, { hint: "give --xds-root-cert the mesh's root certificates (the control plane's ca/root-cert.pem)", cause });
    this.file = file;
  }
}

/** The `--xds-token-file` cannot be read or holds no usable token. The message names the file, never its content. */
export class TokenFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_PROXY_TOKEN_FILE', `${file}: ${problem}`, {
      hint: "give --xds-token-file the token of the node the proxy's pod runs on (from the control plane's --node-tokens file)",
      cause,
    });
    this.file = file;
  }
}

/**
 * No certificate could be obtained for the proxy's identity: the CA refused it (is the
 * proxy's pod scheduled on `--node-name`?), could not be reached, or answered with a
 * chain that does not verify. Retried with backoff.
 */
export class OwnCertificateError extends AmbitError {
  readonly identity: string;

  constructor(identity: string, cause: unknown) {
    super('AMBIT_ERR_PROXY_CERTIFICATE', `no certificate for ${identity}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: "the CA issues a node's token only identities of pods scheduled on that node: is the proxy pod's spec.nodeName the proxy's --node-name, and is the control plane reachable?",
      cause,
    });
    this.identity = identity;
  }
}
