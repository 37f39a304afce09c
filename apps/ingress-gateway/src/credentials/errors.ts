import { AmbitError } from '@ambit/errors';

/**
 * A credential a TLS server names cannot be used: no Secret of that name in the
 * gateway's namespace, one without a certificate and key (or, for MUTUAL, a CA), or
 * key material node's TLS refuses. The server's port is not served until a reload fixes it.
 */
export class CredentialError extends AmbitError {
  readonly credential: string;

  constructor(credential: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_GATEWAY_CREDENTIAL', `credential ${credential}: ${problem}`, {
      hint: 'credentialName names a Secret in the gateway\'s namespace with tls.crt and tls.key (or cert and key; ca.crt or a <name>-cacert Secret for MUTUAL); in local mode it is a kind: Secret object in --config-dir',
      cause,
    });
    this.credential = credential;
  }
}
