import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** Far above any chain a TLS stack accepts; only guards the walk below. */
const MAX_WALK = 16;

/**
 * The peer's certificates after a handshake, leaf first, as `verifyPeerChain` takes them.
 * Node links them through `issuerCertificate` (and may append the root from the local
 * trust store, which verification then finds in the bundle); an empty list means the
 * peer sent no certificate.
 */
export function peerCertificateChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  // Node returns an empty object, not undefined, when the peer sent no certificate.
  let current: Partial<DetailedPeerCertificate> | undefined = socket.getPeerCertificate(true);
  while (current?.raw !== undefined && chain.length < MAX_WALK) {
    chain.push(new X509Certificate(current.raw));
    const issuer: Partial<DetailedPeerCertificate> | undefined = current.issuerCertificate;
    // A self-signed root is its own issuer.
    if (issuer === current || issuer?.raw?.equals(current.raw) === true) break;
    current = issuer;
  }
  return chain;
}
