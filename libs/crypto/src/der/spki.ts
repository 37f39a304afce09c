import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { childrenOf, encodeDer, oidOf, parseDer, primitiveOf, Tag, wholeBitString, type Asn1 } from './asn1.js';

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const JWK_CURVES: Readonly<Record<string, { crv: string; size: number }>> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
};

/**
 * A KeyObject from a SubjectPublicKeyInfo. OpenSSL 3 decodes DER keys through its
 * provider decoders, which costs ~0.2 ms for P-256 and ~0.5 ms for RSA here, more than
 * the signature checks themselves; the same key imported as a JWK (still validated by
 * OpenSSL: the point must be on the curve) is 2-70× cheaper. This is the CA's hot path,
 * so the usual key shapes go through JWK and anything else through the DER decoder.
 */
export function publicKeyFromSpki(spki: Asn1): KeyObject {
  const fields = childrenOf(spki, Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const algorithm = childrenOf(fields[0], Tag.SEQUENCE, 'subjectPublicKeyInfo.algorithm');
  const jwk = jwkOf(oidOf(algorithm[0], 'subjectPublicKeyInfo.algorithm'), algorithm[1], wholeBitString(fields[1], 'subjectPublicKey'));
  return jwk === undefined
    ? createPublicKey({ key: encodeDer(spki), format: 'der', type: 'spki' })
    : createPublicKey({ key: jwk, format: 'jwk' });
}

function jwkOf(algorithm: string, parameters: Asn1 | undefined, key: Buffer): JsonWebKey | undefined {
  if (algorithm === EC_PUBLIC_KEY && parameters !== undefined && parameters.type === Tag.OID) {
    const curve = JWK_CURVES[oidOf(parameters, 'namedCurve')];
    // Only the uncompressed point form (0x04 || X || Y) maps onto a JWK.
    if (curve === undefined || key.length !== 1 + 2 * curve.size || key[0] !== 0x04) return undefined;
    return {
      kty: 'EC',
      crv: curve.crv,
      x: key.subarray(1, 1 + curve.size).toString('base64url'),
      y: key.subarray(1 + curve.size).toString('base64url'),
    };
  }
  if (algorithm === RSA_ENCRYPTION) {
    const [modulus, exponent] = childrenOf(parseDer(key), Tag.SEQUENCE, 'RSAPublicKey');
    return { kty: 'RSA', n: unsigned(primitiveOf(modulus, Tag.INTEGER, 'modulus')), e: unsigned(primitiveOf(exponent, Tag.INTEGER, 'publicExponent')) };
  }
  return undefined;
}

/** JWK integers are unsigned big-endian without DER's sign byte. */
function unsigned(binary: string): string {
  let start = 0;
  while (start < binary.length - 1 && binary.charCodeAt(start) === 0) start++;
  return Buffer.from(binary.slice(start), 'latin1').toString('base64url');
}

/** RFC 5280 4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits, as Go and OpenSSL compute it. */
export function keyIdentifierOf(spki: Asn1 | undefined): Buffer {
  const fields = childrenOf(spki, Tag.SEQUENCE, 'subjectPublicKeyInfo');
  return createHash('sha1').update(wholeBitString(fields[1], 'subjectPublicKey')).digest();
}
