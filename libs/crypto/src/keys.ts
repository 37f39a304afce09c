import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { InvalidKeyError } from './errors.js';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A fresh ECDSA P-256 key pair, the mesh's workload and CA key type (what ztunnel uses):
 * fast to generate on the node, small on the wire. Synchronous because it takes well
 * under a millisecond.
 */
export function generateKeyPair(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** PKCS#8 PEM ("PRIVATE KEY"), the format Istio and OpenSSL 3 write. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** SubjectPublicKeyInfo PEM ("PUBLIC KEY"). */
export function publicKeyToPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Loads an unencrypted private key: PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). */
export function privateKeyFromPem(pem: string, what = 'private key'): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new InvalidKeyError(what, cause);
  }
}

/**
 * Loads a public key (SubjectPublicKeyInfo or PKCS#1 PEM). node:crypto would also take a
 * private key or a certificate here and derive the public key; that is refused, because
 * a caller handing over a private key where a public one belongs has a bug worth hearing of.
 */
export function publicKeyFromPem(pem: string, what = 'public key'): KeyObject {
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
    throw new InvalidKeyError(what, new Error('no "PUBLIC KEY" PEM block found'));
  }
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new InvalidKeyError(what, cause);
  }
}
