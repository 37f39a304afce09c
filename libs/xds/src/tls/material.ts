import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { XdsTlsError } from '../errors.js';

/** What either end of the xDS connection presents and trusts. */
export interface TlsMaterial {
  /** PEM certificates, leaf first (as the CA returns them: `SignedCertificate.certChain`). */
  readonly certChain: string | readonly string[];
  /** PEM private key of the leaf. */
  readonly privateKey: string;
  /** PEM roots that verify the peer's chain (`CertificateAuthority.trustBundle()`). */
  readonly trustBundle: string | readonly string[];
}

/**
 * What a client that has no certificate yet holds: the roots only. A brand-new ztunnel
 * calls the CA with its bearer token over such a connection to get its first certificates.
 */
export type TrustOnlyMaterial = Pick<TlsMaterial, 'trustBundle'>;

/**
 * Node TLS options for mesh connections: TLS 1.3 only, this material, nothing from the
 * system trust store. Checked by building a secure context, so a wrong PEM or a key that
 * does not match the certificate fails here with the reason, not later in a handshake.
 */
export function secureContextOptions(material: TlsMaterial | TrustOnlyMaterial, what: string): SecureContextOptions {
  const options: SecureContextOptions = {
    minVersion: 'TLSv1.3',
    ...('certChain' in material ? { cert: joinPems(material.certChain), key: material.privateKey } : {}),
    ca: joinPems(material.trustBundle),
  };
  try {
    createSecureContext(options);
  } catch (cause) {
    throw new XdsTlsError(what, cause);
  }
  return options;
}

function joinPems(pems: string | readonly string[]): string {
  return typeof pems === 'string' ? pems : pems.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
}
