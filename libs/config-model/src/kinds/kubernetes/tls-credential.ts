/**
 * How Istio reads a TLS credential from a Secret named by `credentialName` (Gateway
 * servers, DestinationRule client TLS) or a Gateway API certificateRef. Istio accepts
 * two layouts, whatever the Secret's type:
 *
 * - generic: `cert` and `key` (and `cacert` for the CA bundle), tried first;
 * - TLS: `tls.crt` and `tls.key` (and `ca.crt`).
 *
 * A CA bundle may also come from a separate `<name>-cacert` Secret (looked up by the caller).
 */

export const CREDENTIAL_KEYS = {
  genericCert: 'cert',
  genericKey: 'key',
  genericCaCert: 'cacert',
  genericCrl: 'crl',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
  tlsCaCert: 'ca.crt',
  tlsCrl: 'ca.crl',
} as const;

/** The suffix of the Secret that holds only the CA bundle for credential `<name>`. */
export const CA_CERT_SECRET_SUFFIX = '-cacert';

/** The parts of a Secret a credential is read from: base64 `data` and plain `stringData`. */
export interface SecretPayload {
  readonly data?: Readonly<Record<string, string>> | undefined;
  readonly stringData?: Readonly<Record<string, string>> | undefined;
}

export type CredentialResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The decoded (UTF-8) value of `key`, stringData taking precedence as the API server merges it. */
export function secretValue(secret: SecretPayload, key: string): string | undefined {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
}

function keysOf(secret: SecretPayload): string[] {
  return [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])].sort();
}

function hasKeys(secret: SecretPayload, ...keys: string[]): boolean {
  return keys.every((k) => secret.data?.[k] !== undefined || secret.stringData?.[k] !== undefined);
}

function hasValues(secret: SecretPayload, ...keys: string[]): boolean {
  return keys.every((k) => (secretValue(secret, k) ?? '') !== '');
}

function foundKeys(secret: SecretPayload): string {
  const keys = keysOf(secret);
  return keys.length < 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')}, and ${keys.length - 3} more...`;
}

/** The server (or client) certificate chain and private key, as Istio extracts them. */
export function extractKeyAndCert(secret: SecretPayload): CredentialResult<{ certificate: string; privateKey: string }> {
  const K = CREDENTIAL_KEYS;
  for (const [cert, key] of [
    [K.genericCert, K.genericKey],
    [K.tlsCert, K.tlsKey],
  ] as const) {
    if (hasValues(secret, cert, key)) {
      return { ok: true, value: { certificate: secretValue(secret, cert)!, privateKey: secretValue(secret, key)! } };
    }
  }
  for (const [cert, key] of [
    [K.genericCert, K.genericKey],
    [K.tlsCert, K.tlsKey],
  ] as const) {
    if (hasKeys(secret, cert, key)) return { ok: false, error: `found keys "${cert}" and "${key}", but they were empty` };
  }
  return {
    ok: false,
    error: `found secret, but didn't have expected keys (${K.genericCert} and ${K.genericKey}) or (${K.tlsCert} and ${K.tlsKey}); found: ${foundKeys(secret)}`,
  };
}

/** The CA bundle used to verify peers, as Istio extracts it (`cacert`, then `ca.crt`). */
export function extractCaCert(secret: SecretPayload): CredentialResult<string> {
  const K = CREDENTIAL_KEYS;
  for (const key of [K.genericCaCert, K.tlsCaCert]) {
    if (hasValues(secret, key)) return { ok: true, value: secretValue(secret, key)! };
  }
  for (const key of [K.genericCaCert, K.tlsCaCert]) {
    if (hasKeys(secret, key)) return { ok: false, error: `found key "${key}", but it was empty` };
  }
  return { ok: false, error: `found secret, but didn't have expected keys ${K.genericCaCert} or ${K.tlsCaCert}; found: ${foundKeys(secret)}` };
}

/** The certificate revocation list, when the Secret carries one (`crl`, then `ca.crl`). */
export function extractCrl(secret: SecretPayload): string | undefined {
  for (const key of [CREDENTIAL_KEYS.genericCrl, CREDENTIAL_KEYS.tlsCrl]) {
    if (hasValues(secret, key)) return secretValue(secret, key);
  }
  return undefined;
}
