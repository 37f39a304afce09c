import { isAmbitError } from '@ambit/errors';
import {
  childrenOf,
  fromBinary,
  isContext,
  isUniversal,
  parseDer,
  primitiveOf,
  Tag,
  timeOf,
  type Asn1,
} from '../der/asn1.js';
import { readExtensions } from '../der/extensions.js';
import { decodeGeneralNames, type SubjectAltName } from '../der/general-names.js';
import { OID } from '../der/oids.js';
import { keyIdentifierOf } from '../der/spki.js';
import { MalformedCertificateError } from '../errors.js';
import { decodePemBlocks } from '../pem.js';

/**
 * What the library needs from a certificate that node:crypto's X509Certificate does not
 * give in a usable form: the subject as DER (to write as the issuer of what a CA signs),
 * exact validity dates, key identifiers, the subjectAltNames as structured values (not
 * OpenSSL's display string) and the basicConstraints path length.
 */
export interface ParsedCertificate {
  readonly der: Buffer;
  readonly subject: Asn1;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
  readonly pathLength: number | undefined;
  /** keyUsage is absent or includes keyCertSign. */
  readonly mayIssueCertificates: boolean;
  /** The subjectKeyIdentifier, or RFC 5280 method 1 over the key when there is none. */
  readonly keyIdentifier: Buffer;
  readonly subjectAltNames: readonly SubjectAltName[];
  /** Critical extensions this library does not interpret (a verifier must then refuse). */
  readonly unhandledCriticalExtensions: readonly string[];
}

const HANDLED = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
]);
const KEY_CERT_SIGN_BIT = 5;

export function parseCertificate(der: Buffer, what: string): ParsedCertificate {
  try {
    const outer = childrenOf(parseDer(der), Tag.SEQUENCE, 'Certificate');
    if (outer.length !== 3) throw new Error(`Certificate has ${outer.length} fields, not 3`);
    const fields = childrenOf(outer[0], Tag.SEQUENCE, 'tbsCertificate');
    // The version is [0] EXPLICIT and optional (v1); skip it to find the fixed fields.
    const at = isContext(fields[0], 0) ? 1 : 0;
    const validity = childrenOf(fields[at + 3], Tag.SEQUENCE, 'validity');
    const subject = fields[at + 4];
    childrenOf(subject, Tag.SEQUENCE, 'subject');
    const spki = fields[at + 5];
    const extensionsNode = fields.slice(at + 6).find((node) => isContext(node, 3));
    const extensions =
      extensionsNode === undefined ? new Map() : readExtensions((extensionsNode.value as Asn1[])[0], 'extensions');

    const basic = extensions.get(OID.basicConstraints);
    const constraints = basic === undefined ? { isCa: false, pathLength: undefined } : readBasicConstraints(basic.value);
    const keyUsage = extensions.get(OID.keyUsage);
    const subjectKeyId = extensions.get(OID.subjectKeyIdentifier);
    const subjectAltName = extensions.get(OID.subjectAltName);
    return {
      der,
      subject: subject!,
      notBefore: timeOf(validity[0], 'notBefore'),
      notAfter: timeOf(validity[1], 'notAfter'),
      ...constraints,
      mayIssueCertificates: keyUsage === undefined || hasBit(keyUsage.value, KEY_CERT_SIGN_BIT),
      keyIdentifier:
        subjectKeyId === undefined
          ? keyIdentifierOf(spki)
          : fromBinary(primitiveOf(parseDer(subjectKeyId.value), Tag.OCTETSTRING, 'subjectKeyIdentifier')),
      subjectAltNames: subjectAltName === undefined ? [] : decodeGeneralNames(parseDer(subjectAltName.value)),
      unhandledCriticalExtensions: [...extensions].filter(([id, ext]) => ext.critical && !HANDLED.has(id)).map(([id]) => id),
    };
  } catch (cause) {
    if (isAmbitError(cause)) throw cause;
    throw new MalformedCertificateError(what, cause instanceof Error ? cause.message : String(cause), cause);
  }
}

/** Every CERTIFICATE block of a PEM text, parsed (a chain or a bundle file). */
export function parseCertificatePems(text: string, what: string): ParsedCertificate[] {
  return decodePemBlocks(text, ['CERTIFICATE'], what).map((der, i) => parseCertificate(der, `${what} certificate ${i + 1}`));
}

function readBasicConstraints(value: Buffer): { isCa: boolean; pathLength: number | undefined } {
  const fields = childrenOf(parseDer(value), Tag.SEQUENCE, 'basicConstraints');
  let index = 0;
  let isCa = false;
  if (fields[0] !== undefined && isUniversal(fields[0], Tag.BOOLEAN)) {
    isCa = primitiveOf(fields[0], Tag.BOOLEAN, 'basicConstraints.cA') !== '\x00';
    index = 1;
  }
  const pathLength = fields[index];
  if (pathLength === undefined) return { isCa, pathLength: undefined };
  const bytes = primitiveOf(pathLength, Tag.INTEGER, 'basicConstraints.pathLenConstraint');
  if (bytes.length === 0 || bytes.length > 2 || bytes.charCodeAt(0) >= 0x80) throw new Error('pathLenConstraint is out of range');
  return { isCa, pathLength: [...bytes].reduce((n, c) => n * 256 + c.charCodeAt(0), 0) };
}

function hasBit(value: Buffer, bit: number): boolean {
  const bytes = primitiveOf(parseDer(value), Tag.BITSTRING, 'keyUsage');
  const byte = bytes.charCodeAt(1 + (bit >> 3));
  return !Number.isNaN(byte) && (byte & (0x80 >> (bit & 7))) !== 0;
}
