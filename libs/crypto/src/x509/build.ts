import { randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../algorithms.js';
import {
  bitString,
  boolean,
  encodeDer,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  parseDer,
  sequence,
  sequenceOfEncoded,
  set,
  smallInteger,
  time,
  toBinary,
  unsignedInteger,
  utf8String,
  type Asn1,
} from '../der/asn1.js';
import { extension } from '../der/extensions.js';
import { encodeUriGeneralNames } from '../der/general-names.js';
import { OID } from '../der/oids.js';
import { keyIdentifierOf } from '../der/spki.js';

/** What signs: the issuer's subject name, key and (for the authorityKeyIdentifier) key id. */
export interface Issuer {
  readonly name: Asn1;
  readonly privateKey: KeyObject;
  readonly algorithm: SigningAlgorithm;
  /** Absent for a self-signed certificate, which RFC 5280 lets omit the authorityKeyIdentifier. */
  readonly keyIdentifier: Buffer | undefined;
}

/** A workload leaf (identified by its URI SANs) or a CA (root or intermediate). */
export type CertificateProfile = { readonly kind: 'leaf'; readonly uris: readonly string[] } | { readonly kind: 'ca' };

export interface CertificateTemplate {
  readonly subject: Asn1;
  /** The subject's key as a SubjectPublicKeyInfo (see `subjectPublicKeyInfo`, or a CSR's). */
  readonly publicKeyInfo: Asn1;
  /** Whole seconds: X.509 times have no fractions, so anything finer would be lost. */
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly profile: CertificateProfile;
}

export interface IssuedCertificate {
  readonly der: Buffer;
  /** Hex, as OpenSSL prints it. */
  readonly serialNumber: string;
}

/** An empty subject, as on Istio's workload certificates: the identity is the URI SAN. */
export const EMPTY_NAME: Asn1 = sequence([]);

/** `O=<organization>`, the subject Istio gives its self-signed root (O=<trust domain>). */
export function organizationName(organization: string): Asn1 {
  return sequence([set([sequence([oid(OID.organizationName), utf8String(organization)])])]);
}

export function subjectPublicKeyInfo(publicKey: KeyObject): Asn1 {
  return parseDer(publicKey.export({ type: 'spki', format: 'der' }));
}

// The extensions that are the same on every certificate of a kind, built once.
// KeyUsage named bits (RFC 5280 4.2.1.3) are DER-encoded without trailing zero bits.
const LEAF_FIXED_EXTENSIONS = [
  extension(OID.keyUsage, true, bitString(Buffer.of(0xa0), 5)), // digitalSignature(0), keyEncipherment(2)
  extension(OID.extKeyUsage, false, sequence([oid(OID.serverAuth), oid(OID.clientAuth)])),
  // cA defaults to FALSE and DER omits defaults: an empty SEQUENCE says "not a CA".
  extension(OID.basicConstraints, true, sequence([])),
];
const CA_FIXED_EXTENSIONS = [
  extension(OID.keyUsage, true, bitString(Buffer.of(0x06), 1)), // keyCertSign(5), cRLSign(6)
  extension(OID.basicConstraints, true, sequence([boolean(true)])),
];

/**
 * Builds and signs a certificate. The TBSCertificate is encoded once and the signature
 * computed with node:crypto over those bytes; the outer SEQUENCE is concatenated around
 * them rather than re-encoded.
 */
export function issueCertificate(template: CertificateTemplate, issuer: Issuer): IssuedCertificate {
  // A positive INTEGER of 128 random bits, like Go's x509 (RFC 5280 allows up to 20 octets).
  const serial = unsignedInteger(randomBytes(16));
  const spki = template.publicKeyInfo;
  const tbs = encodeDer(
    sequence([
      explicit(0, smallInteger(2)),
      serial,
      issuer.algorithm.identifier,
      issuer.name,
      sequence([time(template.notBefore), time(template.notAfter)]),
      template.subject,
      spki,
      explicit(3, sequence(extensionsFor(template, keyIdentifierOf(spki), issuer.keyIdentifier))),
    ]),
  );
  const signature = sign(issuer.algorithm.hash, tbs, issuer.privateKey);
  const der = sequenceOfEncoded([tbs, issuer.algorithm.identifierDer, encodeDer(bitString(signature))]);
  return { der, serialNumber: Buffer.from(serial.value as string, 'latin1').toString('hex') };
}

function extensionsFor(template: CertificateTemplate, subjectKeyId: Buffer, authorityKeyId: Buffer | undefined): Asn1[] {
  const keyIds = [extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyId))];
  if (authorityKeyId !== undefined) {
    keyIds.push(extension(OID.authorityKeyIdentifier, false, sequence([implicitPrimitive(0, toBinary(authorityKeyId))])));
  }
  if (template.profile.kind === 'ca') return [...CA_FIXED_EXTENSIONS, ...keyIds];
  // RFC 5280 4.2.1.6: with an empty subject the SAN is the only name, so it must be critical.
  const subjectIsEmpty = Array.isArray(template.subject.value) && template.subject.value.length === 0;
  return [...LEAF_FIXED_EXTENSIONS, ...keyIds, extension(OID.subjectAltName, subjectIsEmpty, encodeUriGeneralNames(template.profile.uris))];
}
