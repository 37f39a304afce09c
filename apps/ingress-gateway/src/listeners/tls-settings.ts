import type { SecureContextOptions } from 'node:tls';
import type { l7V1 } from '@ambit/xds';
import type { TlsCredential } from '../credentials/index.js';

const VERSIONS: Readonly<Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'>> = { TLSV1_0: 'TLSv1', TLSV1_1: 'TLSv1.1', TLSV1_2: 'TLSv1.2', TLSV1_3: 'TLSv1.3' };

/** TLS 1.3's suites, which Envoy does not let `cipherSuites` change (node would drop them from a list without them). */
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

/**
 * A server's TLS settings as node's secure context options: its credential, the client
 * CA for MUTUAL, the protocol versions (`TLSV1_2` … ; Envoy's default minimum for
 * servers is TLS 1.2) and the TLS 1.2 cipher suites (OpenSSL names, as Envoy's).
 */
export function secureContextOptions(tls: l7V1.ServerTls, credential: TlsCredential, mutual: boolean): SecureContextOptions {
  const version = (text: string, fallback: 'TLSv1.2' | 'TLSv1.3'): SecureContextOptions['minVersion'] => {
    if (text === '' || text === 'TLS_AUTO') return fallback;
    const known = VERSIONS[text];
    if (known === undefined) throw new Error(`TLS version ${JSON.stringify(text)} is not one of ${Object.keys(VERSIONS).join(', ')}`);
    return known;
  };
  return {
    cert: credential.certificate,
    key: credential.privateKey,
    ...(mutual && credential.caCertificates !== undefined ? { ca: credential.caCertificates } : {}),
    minVersion: version(tls.minProtocolVersion, 'TLSv1.2'),
    maxVersion: version(tls.maxProtocolVersion, 'TLSv1.3'),
    ...(tls.cipherSuites.length === 0 ? {} : { ciphers: `${tls.cipherSuites.join(':')}:${TLS13_SUITES}` }),
  };
}
