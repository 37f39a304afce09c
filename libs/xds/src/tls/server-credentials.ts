import { ServerCredentials } from '@grpc/grpc-js';
import { secureContextOptions, type TlsMaterial } from './material.js';

/**
 * grpc-js server credentials for TLS 1.3 with an optional client certificate.
 * `ServerCredentials.createSsl` cannot set a minimum TLS version, so this subclass passes
 * Node's options itself; grpc-js applies `updateSecureContextOptions` to its listening
 * servers with `setSecureContext`, which is how certificates rotate without dropping
 * established connections.
 */
class MeshTlsServerCredentials extends ServerCredentials {
  constructor(material: TlsMaterial) {
    // The server always asks for a client certificate and OpenSSL verifies what is sent
    // against the trust bundle, but a client without one (a new ztunnel that has only its
    // bearer token) still completes the handshake. grpc-js reports a peer certificate only
    // when it verified (`socket.authorized`), so one from another CA proves nothing: such a
    // call must authenticate like one without a certificate, or is refused UNAUTHENTICATED.
    super({ requestCert: true, rejectUnauthorized: false }, secureContextOptions(material, 'xDS server TLS material'));
  }

  override _equals(other: ServerCredentials): boolean {
    return other === this;
  }

  rotate(material: TlsMaterial): void {
    this.updateSecureContextOptions(secureContextOptions(material, 'xDS server TLS material'));
  }
}

/**
 * The xDS server's certificate and the trust bundle a client certificate must chain to
 * to count. Hand it to `XdsServer`; `update` rotates both for new handshakes while open streams continue.
 */
export class XdsServerCredentials {
  readonly #grpc: MeshTlsServerCredentials;

  constructor(material: TlsMaterial) {
    this.#grpc = new MeshTlsServerCredentials(material);
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
