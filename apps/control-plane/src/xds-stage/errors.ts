import { AmbitError } from '@ambit/errors';

/**
 * A proxy's verified certificate does not carry an identity of this mesh. Thrown from
 * the admission check, so the proxy's stream ends with PERMISSION_DENIED and this message.
 */
export class ProxyIdentityError extends AmbitError {
  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_PROXY_IDENTITY', `proxy refused: ${reason}`, {
      hint: "give the proxy a certificate issued by this mesh's CA for an identity in its trust domain",
      cause,
    });
  }
}
