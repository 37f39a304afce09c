import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { signingAlgorithmFor } from '../algorithms.js';
import {
  bitString,
  encodeDer,
  implicitConstructed,
  implicitPrimitive,
  nullValue,
  oid,
  octetString,
  sequence,
  sequenceOfEncoded,
  set,
  smallInteger,
  type Asn1,
} from '../der/asn1.js';
import { extension } from '../der/extensions.js';
import { OID } from '../der/oids.js';
import { encodePem } from '../pem.js';
import { subjectPublicKeyInfo } from '../x509/build.js';

/** GeneralName nodes of every kind, to request names a CA must refuse. */
export const generalName = {
  uri: (value: string): Asn1 => implicitPrimitive(6, value),
  dns: (value: string): Asn1 => implicitPrimitive(2, value),
  email: (value: string): Asn1 => implicitPrimitive(1, value),
  ip: (bytes: readonly number[]): Asn1 => implicitPrimitive(7, String.fromCharCode(...bytes)),
  registeredId: (): Asn1 => implicitPrimitive(8, '\x2a\x03'),
};

export function sanExtension(names: Asn1[], critical = false): Asn1 {
  return extension(OID.subjectAltName, critical, sequence(names));
}

export function extensionRequest(extensions: Asn1[]): Asn1 {
  return sequence([oid(OID.extensionRequest), set([sequence(extensions)])]);
}

export interface RawCsrOptions {
  readonly key: KeyObject;
  /** The attributes; default: one extensionRequest with `extensions`. */
  readonly attributes?: Asn1[];
  readonly extensions?: Asn1[];
  /** Sign with this key instead of `key` (a CSR whose signature cannot verify). */
  readonly signWith?: KeyObject;
  readonly version?: number;
  /** A signature algorithm OID and hash other than the key's (e.g. SHA-1 with RSA; null for Ed25519). */
  readonly algorithm?: { readonly oid: string; readonly hash: string | null };
}

/** A PKCS#10 CSR built field by field, including deliberately wrong ones. */
export function rawCsr(options: RawCsrOptions): string {
  const signer = options.signWith ?? options.key;
  const attributes = options.attributes ?? [extensionRequest(options.extensions ?? [])];
  const info = encodeDer(
    sequence([smallInteger(options.version ?? 0), sequence([]), subjectPublicKeyInfo(createPublicKey(options.key)), implicitConstructed(0, attributes)]),
  );
  const algorithm = options.algorithm;
  const hash = algorithm === undefined ? signingAlgorithmFor(signer, 'test').hash : algorithm.hash;
  const identifierDer =
    algorithm === undefined ? signingAlgorithmFor(signer, 'test').identifierDer : encodeDer(sequence([oid(algorithm.oid), nullValue()]));
  const signature = sign(hash, info, signer);
  return encodePem(sequenceOfEncoded([info, identifierDer, encodeDer(bitString(signature))]), 'CERTIFICATE REQUEST');
}

/** An unknown attribute (challengePassword-like), which parsing must skip. */
export function otherAttribute(): Asn1 {
  return sequence([oid('1.2.840.113549.1.9.7'), set([octetString(Buffer.from('secret'))])]);
}
