import type { KeyObject } from 'node:crypto';
import { encodeDer, nullValue, oid, sequence, type Asn1 } from './der/asn1.js';
import { OID } from './der/oids.js';
import { UnsupportedAlgorithmError, UnsupportedKeyError } from './errors.js';

/**
 * Which keys and signature algorithms the mesh accepts, and how node:crypto signs with
 * them. ECDSA P-256 is what Ambit generates; P-384 and RSA (PKCS#1 v1.5) are accepted
 * because plugged-in CAs and Istio sidecars' CSRs use them.
 */
const CURVES: Readonly<Record<string, { name: string; hash: string; signatureOid: string }>> = {
  prime256v1: { name: 'P-256', hash: 'sha256', signatureOid: OID.ecdsaWithSha256 },
  secp384r1: { name: 'P-384', hash: 'sha384', signatureOid: OID.ecdsaWithSha384 },
};
const MIN_RSA_BITS = 2048;
/** Bigger keys buy nothing here and make every verification slower for the CA. */
const MAX_RSA_BITS = 8192;

/** How an issuer key signs: the node:crypto hash and the AlgorithmIdentifier. */
export interface SigningAlgorithm {
  readonly hash: string;
  /** The AlgorithmIdentifier inside a TBSCertificate… */
  readonly identifier: Asn1;
  /** …and, already encoded, after it. */
  readonly identifierDer: Buffer;
}

export function signingAlgorithmFor(key: KeyObject, what: string): SigningAlgorithm {
  checkKey(key, what);
  if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? '']!;
    // RFC 5758: ECDSA AlgorithmIdentifiers have no parameters.
    return algorithm(curve.hash, sequence([oid(curve.signatureOid)]));
  }
  // RFC 8017: RSA AlgorithmIdentifiers carry an explicit NULL.
  return algorithm('sha256', sequence([oid(OID.sha256WithRsa), nullValue()]));
}

function algorithm(hash: string, identifier: Asn1): SigningAlgorithm {
  return { hash, identifier, identifierDer: encodeDer(identifier) };
}

const VERIFY_HASHES: Readonly<Record<string, { keyType: 'ec' | 'rsa'; hash: string }>> = {
  [OID.ecdsaWithSha256]: { keyType: 'ec', hash: 'sha256' },
  [OID.ecdsaWithSha384]: { keyType: 'ec', hash: 'sha384' },
  [OID.ecdsaWithSha512]: { keyType: 'ec', hash: 'sha512' },
  [OID.sha256WithRsa]: { keyType: 'rsa', hash: 'sha256' },
  [OID.sha384WithRsa]: { keyType: 'rsa', hash: 'sha384' },
  [OID.sha512WithRsa]: { keyType: 'rsa', hash: 'sha512' },
};

/** The hash to verify a signature with, refusing algorithms that do not fit the key. */
export function verificationHash(signatureOid: string, key: KeyObject, what: string): string {
  const entry = VERIFY_HASHES[signatureOid];
  if (entry === undefined) throw new UnsupportedAlgorithmError(what, signatureOid);
  if (entry.keyType !== key.asymmetricKeyType) {
    throw new UnsupportedAlgorithmError(what, `${signatureOid} with a ${describeKey(key)} key`);
  }
  return entry.hash;
}

/** Refuses key types and sizes outside the mesh's profile. */
export function checkKey(key: KeyObject, what: string): void {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && CURVES[details?.namedCurve ?? ''] !== undefined) return;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    if (bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS) return;
  }
  throw new UnsupportedKeyError(what, `a ${describeKey(key)} key`);
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') {
    const curve = details?.namedCurve ?? 'unknown curve';
    return `ECDSA ${CURVES[curve]?.name ?? curve}`;
  }
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details?.modulusLength ?? '?'}-bit`;
  return key.asymmetricKeyType ?? key.type;
}
