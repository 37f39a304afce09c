import { X509Certificate } from 'node:crypto';
import type { ServerUnaryCall } from '@grpc/grpc-js';

/** What xDS streams and CA calls share: the call's TLS authentication context. */
type ServerCall = Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;
import { uriSubjectAltNames } from './subject-alt-names.js';

/** The client certificate of a call, whose chain the TLS handshake verified against the trust bundle. */
export interface PeerIdentity {
  readonly certificate: X509Certificate;
  /** The leaf's URI subjectAltNames: a mesh certificate has exactly one, its SPIFFE ID. */
  readonly uris: readonly string[];
}

/**
 * The verified peer of a server call (xDS stream or CA call); undefined when the client
 * sent no certificate or one that did not verify. grpc-js reports the certificate only
 * for connections whose chain verified (`socket.authorized`) and only the leaf: the
 * control plane authorizes proxies by the identity in it.
 */
export function peerOf(call: ServerCall): PeerIdentity | undefined {
  const raw = call.getAuthContext().sslPeerCertificate?.raw;
  if (raw === undefined) return undefined;
  const certificate = new X509Certificate(raw);
  return { certificate, uris: uriSubjectAltNames(certificate.subjectAltName) };
}
