import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { isAmbitError } from '@ambit/errors';
import { checkKey, signingAlgorithmFor, verificationHash } from './algorithms.js';
import {
  bitString,
  childrenOf,
  contextChildren,
  encodeDer,
  firstChildBytes,
  implicitConstructed,
  isContext,
  oid,
  oidOf,
  parseDer,
  primitiveOf,
  sequence,
  sequenceOfEncoded,
  set,
  smallInteger,
  Tag,
  wholeBitString,
  type Asn1,
} from './der/asn1.js';
import { extension, readExtensions } from './der/extensions.js';
import { decodeGeneralNames, encodeUriGeneralNames, type SubjectAltName } from './der/general-names.js';
import { OID } from './der/oids.js';
import { publicKeyFromSpki } from './der/spki.js';
import { CsrSignatureError, CsrTooLargeError, MalformedCsrError } from './errors.js';
import { decodeSinglePem, encodePem } from './pem.js';
import type { SpiffeId } from './spiffe.js';

/**
 * The CA reads CSRs from the network, so their size is bounded before any parsing: a
 * workload CSR with one SPIFFE ID is under 1 KiB, RSA-4096 ones under 2 KiB.
 */
export const MAX_CSR_BYTES = 8 * 1024;
const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

export interface ParsedCsr {
  /** The key the certificate will certify; the CSR's signature has been checked with it. */
  readonly publicKey: KeyObject;
  /** Every subjectAltName requested, in order (empty when there is none). */
  readonly subjectAltNames: readonly SubjectAltName[];
}

/** What the CA needs beyond `ParsedCsr`: the SubjectPublicKeyInfo, to copy into the certificate. */
export interface CsrForSigning extends ParsedCsr {
  readonly publicKeyInfo: Asn1;
}

/**
 * A PKCS#10 CSR for `identity`, signed with `privateKey`: empty subject (as Istio's
 * workload CSRs) and exactly one URI subjectAltName in the extensionRequest, critical
 * because the subject is empty.
 */
export function createCsr(privateKey: KeyObject, identity: SpiffeId): string {
  const algorithm = signingAlgorithmFor(privateKey, 'CSR key');
  const spki = parseDer(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const subjectAltName = extension(OID.subjectAltName, true, encodeUriGeneralNames([identity.toString()]));
  const extensionRequest = sequence([oid(OID.extensionRequest), set([sequence([subjectAltName])])]);
  const info = encodeDer(sequence([smallInteger(0), sequence([]), spki, implicitConstructed(0, [extensionRequest])]));
  const signature = sign(algorithm.hash, info, privateKey);
  return encodePem(sequenceOfEncoded([info, algorithm.identifierDer, encodeDer(bitString(signature))]), 'CERTIFICATE REQUEST');
}

/**
 * Parses a CSR from the network: bounded size, strict DER structure, an accepted key
 * type, and a self-signature that verifies with the key it carries. Every failure is
 * one of the library's typed errors.
 */
export function parseCsr(pem: string): ParsedCsr {
  const csr = readCsr(pem);
  const view: ParsedCsr = { publicKey: csr.publicKey, subjectAltNames: csr.subjectAltNames };
  parsedForSigning.set(view, csr);
  return view;
}

// What parseCsr returned, with what signing needs: a caller that parsed a CSR to decide
// whether to sign it hands the result to the CA, which then does not parse and verify it again.
const parsedForSigning = new WeakMap<ParsedCsr, CsrForSigning>();

/** The CSR ready for signing: a PEM is parsed and verified; a `parseCsr` result was already. */
export function csrForSigning(csr: string | ParsedCsr): CsrForSigning {
  if (typeof csr === 'string') return readCsr(csr);
  const parsed = parsedForSigning.get(csr);
  if (parsed === undefined) throw new TypeError('a parsed CSR must come from parseCsr');
  return parsed;
}

/** `parseCsr`, keeping the key's encoded form for the certificate. */
export function readCsr(pem: string): CsrForSigning {
  if (pem.length > MAX_CSR_BYTES || Buffer.byteLength(pem) > MAX_CSR_BYTES) {
    throw new CsrTooLargeError(Buffer.byteLength(pem), MAX_CSR_BYTES);
  }
  const der = decodeSinglePem(pem, CSR_LABELS, 'CSR');
  const csr = readStructure(der);
  checkKey(csr.publicKey, 'CSR public key');
  const hash = verificationHash(csr.signatureOid, csr.publicKey, 'CSR');
  let valid: boolean;
  try {
    valid = verify(hash, csr.signedBytes, csr.publicKey, csr.signature);
  } catch (cause) {
    throw new CsrSignatureError(cause);
  }
  if (!valid) throw new CsrSignatureError();
  return { publicKey: csr.publicKey, subjectAltNames: csr.subjectAltNames, publicKeyInfo: csr.publicKeyInfo };
}

interface CsrStructure {
  readonly signedBytes: Buffer;
  readonly publicKeyInfo: Asn1;
  readonly publicKey: KeyObject;
  readonly subjectAltNames: SubjectAltName[];
  readonly signatureOid: string;
  readonly signature: Buffer;
}

function readStructure(der: Buffer): CsrStructure {
  try {
    const outer = childrenOf(parseDer(der), Tag.SEQUENCE, 'CertificationRequest');
    if (outer.length !== 3) throw new Error(`CertificationRequest has ${outer.length} fields, not 3`);
    const info = childrenOf(outer[0], Tag.SEQUENCE, 'certificationRequestInfo');
    if (info.length !== 4 || !isContext(info[3], 0)) throw new Error('certificationRequestInfo is not version, subject, key, attributes');
    if (primitiveOf(info[0], Tag.INTEGER, 'version') !== '\x00') throw new Error('version is not v1 (0)');
    childrenOf(info[1], Tag.SEQUENCE, 'subject');
    const algorithm = childrenOf(outer[1], Tag.SEQUENCE, 'signatureAlgorithm');
    return {
      signedBytes: firstChildBytes(der),
      publicKeyInfo: info[2]!,
      publicKey: publicKeyFromSpki(info[2]!),
      subjectAltNames: requestedSubjectAltNames(contextChildren(info[3]!, 'attributes')),
      signatureOid: oidOf(algorithm[0], 'signatureAlgorithm'),
      signature: wholeBitString(outer[2], 'signature'),
    };
  } catch (cause) {
    if (isAmbitError(cause)) throw cause;
    throw new MalformedCsrError(cause instanceof Error ? cause.message : String(cause), cause);
  }
}

function requestedSubjectAltNames(attributes: Asn1[]): SubjectAltName[] {
  let names: SubjectAltName[] = [];
  let seenExtensionRequest = false;
  attributes.forEach((attribute, i) => {
    const [type, values] = childrenOf(attribute, Tag.SEQUENCE, `attributes[${i}]`);
    if (oidOf(type, `attributes[${i}].type`) !== OID.extensionRequest) return;
    // Two requests could disagree; which one a CA honoured would then be an accident.
    if (seenExtensionRequest) throw new Error('extensionRequest appears twice');
    seenExtensionRequest = true;
    const requests = childrenOf(values, Tag.SET, 'extensionRequest');
    if (requests.length !== 1) throw new Error(`extensionRequest holds ${requests.length} values, not 1`);
    const subjectAltName = readExtensions(requests[0], 'extensionRequest').get(OID.subjectAltName);
    if (subjectAltName !== undefined) names = decodeGeneralNames(parseDer(subjectAltName.value));
  });
  return names;
}
