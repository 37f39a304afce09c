import { ServerCredentials } from '@grpc/grpc-js';
import { secureContextOptions, type TlsMaterial } from './material.js';

/**
 * grpc-js server credentials for mutual TLS 1.3. `ServerCredentials.createSsl` cannot set
 * a minimum TLS version, so this subclass passes Node's options itself; grpc-js applies
 * `updateSecureContextOptions` to its listening servers with `setSecureContext`, which is
 * how certificates rotate without dropping established connections.
 */
class MutualTlsServerCredentials extends ServerCredentials {
  constructor(material: TlsMaterial) {
    // rejectUnauthorized: a client without a certificate chaining to the trust bundle
    // fails the handshake and never reaches a handler.
    super({ requestCert: true, rejectUnauthorized: true }, secureContextOptions(material, 'xDS server TLS material'));
  }

  override _equals(other: ServerCredentials): boolean {
    return other === this;
  }

  rotate(material: TlsMaterial): void {
    this.updateSecureContextOptions(secureContextOptions(material, 'xDS server TLS material'));
  }
}

/**
 * The xDS server's certificate and the trust bundle its clients must chain to. Hand it to
 * `XdsServer`; `update` rotates both for new handshakes while open streams continue.
 */
export class XdsServerCredentials {
  readonly #grpc: MutualTlsServerCredentials;

  constructor(material: TlsMaterial) {
    this.#grpc = new MutualTlsServerCredentials(material);
    grpcCredentials.set(this, this.#grpc);
  }

  update(material: TlsMaterial): void {
    this.#grpc.rotate(material);
  }
}

const grpcCredentials = new WeakMap<XdsServerCredentials, ServerCredentials>();

export function grpcServerCredentials(credentials: XdsServerCredentials): ServerCredentials {
  return grpcCredentials.get(credentials)!;
}
