import { booleanOf, childrenOf, encodeDer, fromBinary, octetString, oid, oidOf, primitiveOf, sequence, boolean, Tag, type Asn1 } from './asn1.js';

/**
 * X.509 v3 extensions (RFC 5280 4.1): `SEQUENCE { extnID, critical DEFAULT FALSE,
 * extnValue OCTET STRING }`, shared by certificates and the extensionRequest of CSRs.
 */
export function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  // DER forbids encoding a DEFAULT value, so a non-critical extension has no BOOLEAN.
  const head = critical ? [oid(id), boolean(true)] : [oid(id)];
  return sequence([...head, octetString(encodeDer(value))]);
}

export interface ExtensionValue {
  readonly critical: boolean;
  /** The DER inside extnValue. */
  readonly value: Buffer;
}

/** Extensions by OID; an OID given twice is refused (RFC 5280: at most one instance). */
export function readExtensions(node: Asn1 | undefined, what: string): Map<string, ExtensionValue> {
  const extensions = new Map<string, ExtensionValue>();
  childrenOf(node, Tag.SEQUENCE, what).forEach((entry, i) => {
    const where = `${what}[${i}]`;
    const fields = childrenOf(entry, Tag.SEQUENCE, where);
    if (fields.length !== 2 && fields.length !== 3) throw new Error(`${where} has ${fields.length} fields`);
    const id = oidOf(fields[0], `${where}.extnID`);
    const critical = fields.length === 3 ? booleanOf(fields[1], `${where}.critical`) : false;
    const value = fromBinary(primitiveOf(fields[fields.length - 1], Tag.OCTETSTRING, `${where}.extnValue`));
    if (extensions.has(id)) throw new Error(`extension ${id} appears twice`);
    extensions.set(id, { critical, value });
  });
  return extensions;
}
